from django.urls import path

from magnet.apps.talentmap import views_public

app_name = "talentmap_public"
urlpatterns = [
    path("", views_public.catalogue_list, name="list"),
    path("<int:pk>/", views_public.catalogue_detail, name="detail"),
    path("<int:pk>/catalogue.xlsx", views_public.catalogue_xlsx, name="xlsx"),
    path("<int:pk>/catalogue.pdf", views_public.catalogue_pdf, name="pdf"),
]
