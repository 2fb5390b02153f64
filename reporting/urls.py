from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "reporting"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reporting:preview"), name="index"),
    path("midterm/", views.review_preview, name="preview"),
    path("midterm/pdf/", views.review_download, name="download"),
    path("midterm/issue/", views.review_issue_view, name="issue"),
    path("midterm/issued/", views.issued_list, name="issued"),
    path("midterm/issued/<int:pk>/pdf/", views.issued_download, name="issued_download"),
]
