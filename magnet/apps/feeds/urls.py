from django.urls import path

from magnet.apps.feeds import views

app_name = "feeds"
urlpatterns = [
    path("", views.snapshot_list, name="snapshots"),
    path("upload/", views.upload, name="upload"),
    path("person/", views.person_lookup, name="person_lookup"),
    path("loads/<int:load_id>/", views.load_detail, name="load"),
    path("<str:snapshot_id>/", views.snapshot_detail, name="snapshot_detail"),
]
