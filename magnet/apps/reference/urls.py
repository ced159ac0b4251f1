from django.urls import path

from magnet.apps.reference import views

app_name = "reference"
urlpatterns = [
    path("", views.sources, name="sources"),
    path("pick/<slug:kind>/", views.pick_search, name="pick_search"),
    path("pick/<slug:kind>/choose/", views.pick_choose, name="pick_choose"),
    path("education/", views.declare_education, name="declare_education"),
]
