from django.urls import path

from magnet.apps.talentcode import views

app_name = "talentcode_pages"
urlpatterns = [
    path("point/", views.point_home, name="point_home"),
    path("console/", views.console, name="console"),
]
