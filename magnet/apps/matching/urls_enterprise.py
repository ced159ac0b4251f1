"""The enterprise's pages, mounted at /hiring/."""

from django.urls import path

from magnet.apps.matching import views_enterprise as views

app_name = "hiring"
urlpatterns = [
    path("", views.postings, name="postings"),
    path("new/", views.job_new, name="job_new"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/edit/", views.job_edit, name="job_edit"),
    path("<int:pk>/publish/", views.job_publish, name="job_publish"),
    path("<int:pk>/close/", views.job_close, name="job_close"),
    path("<int:pk>/candidates/", views.candidates, name="candidates"),
    path("<int:pk>/candidates/<int:talent_id>/invite/", views.candidate_invite, name="candidate_invite"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/status/", views.application_status, name="application_status"),
    path("applications/<int:pk>/messages/", views.application_message, name="application_message"),
    path("pick/majors/", views.pick_majors, name="pick_majors"),
    path("pick/majors/choose/", views.pick_major, name="pick_major"),
]
