from django.urls import path

from . import plan_texts_views, views

app_name = "spreadsheets"

urlpatterns = [
    path("exports/deliverables/", views.export_deliverables, name="export_deliverables"),
    path("exports/history/", views.export_history, name="export_history"),
    path("exports/examples/", views.export_examples, name="export_examples"),
    path("imports/status/", views.import_status, name="import_status"),
    path("imports/status/preview/<str:token>/", views.import_status_preview, name="import_status_preview"),
    path("imports/status/confirm/", views.import_status_confirm, name="import_status_confirm"),
    path("imports/status/template/", views.import_template, name="import_template"),
    path("imports/examples/", views.import_examples, name="import_examples"),
    path(
        "imports/examples/preview/<str:token>/", views.import_examples_preview, name="import_examples_preview"
    ),
    path("imports/examples/confirm/", views.import_examples_confirm, name="import_examples_confirm"),
    path("imports/examples/template/", views.import_examples_template, name="import_examples_template"),
    # The translators' spreadsheet of plan texts (spreadsheets.plan_texts).
    path("exports/plan-texts/", plan_texts_views.export_plan_texts, name="export_plan_texts"),
    path("imports/plan-texts/", plan_texts_views.import_plan_texts, name="import_plan_texts"),
    path(
        "imports/plan-texts/preview/<str:token>/",
        plan_texts_views.import_plan_texts_preview,
        name="import_plan_texts_preview",
    ),
    path(
        "imports/plan-texts/confirm/",
        plan_texts_views.import_plan_texts_confirm,
        name="import_plan_texts_confirm",
    ),
]
