from django.contrib.auth import views as auth_views
from django.urls import path

from otop.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("signup/", views.sign_up, name="signup"),
    path("signup/phone/", views.sign_up_by_phone, name="signup-phone"),
    path("signup/phone/code/", views.sign_up_by_phone_code, name="signup-phone-code"),
    path("signup/phone/sms/", views.sign_up_by_phone_sms, name="signup-phone-sms"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.second_factor, name="two-factor"),
    path("password/", views.ChangePasswordView.as_view(), name="password-change"),
    path("password/changed/", views.PasswordChangedView.as_view(), name="password-change-done"),
    path("password/forgot/", views.ResetByEmailView.as_view(), name="password-reset"),
    path("password/forgot/sent/", views.ResetSentView.as_view(), name="password-reset-sent"),
    path("password/set/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="password-reset-confirm"),
    path("password/set/done/", views.PasswordSetDoneView.as_view(), name="password-set-done"),
]
