from django.urls import path

from magnet.apps.talentmap import views_enterprise

app_name = "talentmap_enterprise"
urlpatterns = [
    path("", views_enterprise.report_list, name="reports"),
    path("new/", views_enterprise.report_new, name="new"),
    path("<int:pk>/", views_enterprise.report_detail, name="detail"),
    path("<int:pk>/correct/", views_enterprise.report_correct, name="correct"),
]
