from django.urls import path

from . import example_views, export_views, import_views, views

app_name = "deliverables"

urlpatterns = [
    path("deliverables/", views.deliverable_list, name="list"),
    path("deliverables/<str:code>/", views.deliverable_detail, name="detail"),
    path("deliverables/<str:code>/update/", views.status_update, name="update"),
    path("dashboard/", views.dashboard, name="dashboard"),
]

# Progress examples from the field offices, and their review.
urlpatterns += [
    path("examples/", example_views.example_list, name="examples"),
    path("examples/new/", example_views.example_new, name="example_new"),
    path("examples/<int:pk>/", example_views.example_detail, name="example_detail"),
    path("examples/<int:pk>/edit/", example_views.example_edit, name="example_edit"),
    path("examples/<int:pk>/submit/", example_views.example_submit, name="example_submit"),
    path("examples/<int:pk>/review/", example_views.example_review, name="example_review"),
    path("examples/<int:pk>/attachments/<int:attachment_pk>/", example_views.attachment_download,
         name="attachment_download"),
    path("review/", example_views.review_queue, name="review_queue"),
    path("coverage/", example_views.coverage_view, name="coverage"),
]

# Spreadsheets in and out.
urlpatterns += [
    path("exports/deliverables/", export_views.export_deliverables, name="export_deliverables"),
    path("exports/history/", export_views.export_history, name="export_history"),
    path("exports/examples/", export_views.export_examples, name="export_examples"),
    path("imports/status/", import_views.import_status, name="import_status"),
    path("imports/status/preview/<str:token>/", import_views.import_status_preview,
         name="import_status_preview"),
    path("imports/status/confirm/", import_views.import_status_confirm, name="import_status_confirm"),
    path("imports/status/template/", import_views.import_template, name="import_template"),
    path("imports/examples/", import_views.import_examples, name="import_examples"),
    path("imports/examples/preview/<str:token>/", import_views.import_examples_preview,
         name="import_examples_preview"),
    path("imports/examples/confirm/", import_views.import_examples_confirm, name="import_examples_confirm"),
    path("imports/examples/template/", import_views.import_examples_template,
         name="import_examples_template"),
]
