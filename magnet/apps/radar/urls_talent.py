"""The talent's and the public's radar pages, mounted at /policies/ (the staff console's are in urls.py)."""

from django.urls import path

from magnet.apps.radar import views_talent

app_name = "radar_talent"
urlpatterns = [
    path("mine/", views_talent.mine, name="mine"),
    path("calculator/", views_talent.calculator_page, name="calculator"),
    path("calculator/pick/<slug:kind>/", views_talent.calculator_pick, name="calculator_pick"),
]
