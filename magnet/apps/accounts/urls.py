from django.urls import path

from magnet.apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/password/", views.password_login, name="password_login"),
    path("login/sms/send/", views.sms_send, name="sms_send"),
    path("login/sms/", views.sms_login, name="sms_login"),
    path("login/otp/", views.otp_view, name="otp"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("identity/", views.identity_view, name="identity"),
    path("access-history/", views.access_history, name="access_history"),
    path("enterprise/register/", views.enterprise_register, name="enterprise_register"),
    path("enterprise/requests/", views.enterprise_requests, name="enterprise_requests"),
]
