from django.urls import path

from . import views

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
]
