"""The talent's grants page and the public publicity lists, mounted at /grants/ (the console's: urls_staff)."""

from django.urls import path

from magnet.apps.grants import views

app_name = "grants"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("account/", views.account, name="account"),
    path("appeal/", views.appeal, name="appeal"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/<int:pk>/objection/", views.objection, name="objection"),
]
