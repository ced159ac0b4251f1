"""The bureau's moderation queue, mounted at /console/jobs/."""

from django.urls import path

from magnet.apps.matching import views_staff

app_name = "jobs_console"
urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("<int:pk>/", views_staff.review, name="review"),
    path("<int:pk>/decide/", views_staff.decide, name="decide"),
]
