from django.urls import path

from magnet.apps.talentcode import views, views_talent

app_name = "talentcode_pages"
urlpatterns = [
    path("point/", views.point_home, name="point_home"),
    path("console/", views.console, name="console"),
    path("mine/", views_talent.mine, name="mine"),
    path("mine/code/", views_talent.mine_code, name="mine_code"),
]
