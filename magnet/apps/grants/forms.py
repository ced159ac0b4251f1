"""Forms of the grants pages: the talent's payee account and appeal, the public's objection, and the staff's
decisions (objections, appeals, publicity, batches, the bank's return file)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"
RETURN_FILE_MAX_BYTES = 20 * 1024 * 1024

# The banks a payee account may be held at (code → name); the code goes into the bank file.
BANKS = [
    ("ICBC", _("中国工商银行")),
    ("ABC", _("中国农业银行")),
    ("BOC", _("中国银行")),
    ("CCB", _("中国建设银行")),
    ("BOCOM", _("交通银行")),
    ("PSBC", _("中国邮政储蓄银行")),
    ("CMB", _("招商银行")),
    ("CIB", _("兴业银行")),
    ("JSB", _("江苏银行")),
    ("NTRCB", _("南通农商银行")),
]
BANK_NAMES = dict(BANKS)


class Form(forms.Form):
    """Labels without a trailing colon: they sit above their fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PayeeAccountForm(Form):
    account_name = forms.CharField(label=_("户名"), max_length=40,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))  # fmt: skip
    account_number = forms.CharField(
        label=_("账号"), max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "6222 …"}),
    )  # fmt: skip
    bank_code = forms.ChoiceField(label=_("开户行"), choices=[("", _("请选择")), *BANKS])


class AppealForm(Form):
    """An appeal about a refused grant (`grant`), or about a result of "My policies" (policy + period)."""

    grant = forms.IntegerField(required=False, widget=forms.HiddenInput)
    policy = forms.ChoiceField(label=_("政策"), required=False)
    period = forms.RegexField(
        label=_("月份（YYYY-MM）"), regex=MONTH_PATTERN, max_length=7, required=False,
        error_messages={"invalid": _("月份应为 YYYY-MM 格式，例如 2024-06。")},
        widget=forms.TextInput(attrs={"placeholder": "2024-06", "inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    text = forms.CharField(label=_("申诉理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [("", _("请选择")), *policies]

    def clean(self):
        data = super().clean()
        if not data.get("grant"):
            if not data.get("policy"):
                self.add_error("policy", _("请选择政策。"))
            if not data.get("period") and "period" not in self.errors:
                self.add_error("period", _("请填写月份。"))
        return data


class ObjectionForm(Form):
    text = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    contact = forms.CharField(label=_("联系方式"), max_length=60, required=False,
                              help_text=_("电话或邮箱，便于核实后回复（选填）"))  # fmt: skip


DECISION = [("no", _("不成立（维持公示）")), ("yes", _("成立（不予发放）"))]


class ObjectionResolveForm(Form):
    upheld = forms.TypedChoiceField(label=_("处理结果"), choices=DECISION, coerce=lambda v: v == "yes")
    resolution = forms.CharField(label=_("处理意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AppealDecideForm(Form):
    granted = forms.TypedChoiceField(
        label=_("复核结论"), choices=[("no", _("维持原结论")), ("yes", _("予以支持"))], coerce=lambda v: v == "yes"
    )
    decision = forms.CharField(label=_("复核意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PublicityForm(Form):
    days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=60,
                              initial=lambda: settings.MAGNET_PUBLICITY_DAYS)  # fmt: skip


class BatchAssembleForm(Form):
    policy = forms.ChoiceField(label=_("政策"), required=False)
    limit = forms.IntegerField(label=_("最多笔数"), min_value=1, max_value=100_000, required=False)

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [("", _("全部政策")), *policies]


class BatchCancelForm(Form):
    reason = forms.CharField(label=_("作废理由"), max_length=200)


class ReturnFileForm(Form):
    file = forms.FileField(label=_("银行回盘文件（CSV）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > RETURN_FILE_MAX_BYTES:
            raise forms.ValidationError(_("文件过大（最大 20 MB）。"))
        return upload


class SimulateForm(Form):
    fail = forms.IntegerField(label=_("模拟失败笔数"), min_value=0, max_value=1000, initial=0, required=False)
