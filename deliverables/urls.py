from django.urls import path

from . import views

app_name = "deliverables"

urlpatterns = [
    path("deliverables/", views.deliverable_list, name="list"),
    path("deliverables/<str:code>/", views.deliverable_detail, name="detail"),
    path("deliverables/<str:code>/update/", views.status_update, name="update"),
    path("deliverables/<str:code>/units/", views.units_assign, name="units"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
