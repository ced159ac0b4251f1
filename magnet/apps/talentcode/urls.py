from django.urls import path

from magnet.apps.talentcode import views

app_name = "talentcode"
urlpatterns = [
    path("talent-code-keys.cbor", views.keyset, name="keyset"),
    path("talent-code-revocations.cbor", views.revocations, name="revocations"),
]
