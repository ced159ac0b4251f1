"""The talent's pages, mounted at /jobs/ (the enterprise's are urls_enterprise.py, the staff's urls_staff.py)."""

from django.urls import path

from magnet.apps.matching import views_talent

app_name = "matching"
urlpatterns = [
    path("", views_talent.recommended, name="recommended"),
    path("search/", views_talent.search, name="search"),
    path("profile/", views_talent.profile_edit, name="profile"),
    path("applications/", views_talent.applications, name="applications"),
    path("applications/<int:pk>/", views_talent.application_detail, name="application"),
    path("<int:pk>/", views_talent.job_detail, name="job"),
    path("<int:pk>/apply/", views_talent.apply, name="apply"),
]
