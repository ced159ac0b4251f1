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


class EnterpriseRegistrationForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=20)
    enterprise_name = forms.CharField(label=_("企业名称（与营业执照一致）"), max_length=200)
    display_name = forms.CharField(label=_("联系人姓名"), max_length=100)
    username = forms.RegexField(label=_("用户名"), max_length=40, regex=r"^[A-Za-z0-9._-]{4,40}$",
                                error_messages={"invalid": _("用户名为 4–40 位字母、数字或 . _ -。")})
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, max_length=128)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data
