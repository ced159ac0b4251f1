from django.urls import path

from magnet.apps.common import views

app_name = "common"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("talent/", views.talent_home, name="talent_home"),
    path("enterprise/", views.enterprise_home, name="enterprise_home"),
    path("console/", views.console, name="console"),
]
