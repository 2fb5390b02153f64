from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("timeline/", views.timeline_page, name="timeline"),
    path("timeline/pdf/", views.timeline_pdf, name="timeline_pdf"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("deliverables/<str:code>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/remove/", views.milestone_remove, name="milestone_remove"),
    path("reminders/", views.my_reminders, name="my_reminders"),
]
