from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("midterm/", views.review_preview, name="preview"),
    path("midterm/pdf/", views.review_download, name="download"),
    path("midterm/issue/", views.review_issue_view, name="issue"),
    path("midterm/issued/", views.issued_list, name="issued"),
    path("midterm/issued/<int:pk>/pdf/", views.issued_download, name="issued_download"),
]
