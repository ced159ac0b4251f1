from django.urls import path

from magnet.apps.talentmap import views

app_name = "talentmap"
urlpatterns = [
    path("", views.index, name="index"),
    path("chains/<slug:chain>/", views.chain_detail, name="chain"),
    path("talent-map.xlsx", views.map_download, name="map_xlsx"),
    path("reports/", views.reporting, name="reporting"),
    path("catalogues/", views.catalogues, name="catalogues"),
    path("catalogues/publish/", views.catalogue_publish, name="catalogue_publish"),
]
