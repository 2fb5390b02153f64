from django.urls import path

from . import views

app_name = "renders"

urlpatterns = [
    path("", views.render_start, name="start"),
    path("<int:pk>/", views.render_detail, name="detail"),
    path("<int:pk>/pdf/", views.render_download, name="download"),
]
