from django.urls import path

from . import views

app_name = "examples"

urlpatterns = [
    path("examples/", views.example_list, name="list"),
    path("examples/new/", views.example_new, name="new"),
    path("examples/<int:pk>/", views.example_detail, name="detail"),
    path("examples/<int:pk>/edit/", views.example_edit, name="edit"),
    path("examples/<int:pk>/submit/", views.example_submit, name="submit"),
    path("examples/<int:pk>/review/", views.example_review, name="review"),
    path("examples/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("review/", views.review_queue, name="queue"),
    path("coverage/", views.coverage, name="coverage"),
]
