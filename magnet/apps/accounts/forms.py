from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordSignInForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class SmsSignInForm(PhoneForm):
    code = forms.CharField(label=_("短信验证码"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class OtpForm(forms.Form):
    token = forms.CharField(label=_("动态验证码"), max_length=6, min_length=6,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                          "autofocus": True}))


class IdentityForm(forms.Form):
    id_number = forms.CharField(label=_("公民身份号码"), max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
