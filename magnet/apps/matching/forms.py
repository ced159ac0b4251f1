"""Input of the matching pages and API: a posting, a talent's profile, filters, messages.

The posting form is also what the API validates with, so a page and an API client are refused for the
same reasons, each naming its field.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from magnet.apps.matching.models import CHAINS, DEGREES, Application
from magnet.apps.reference.models import Division, Major

PAY_CEILING = 1_000_000  # yuan a month: anything above is a typing error, not a salary
MAX_MAJORS = 20
MAX_SKILLS = 20
CITY = "3206"


def split_words(text: str) -> list[str]:
    """Words separated by commas, 顿号, semicolons or new lines, trimmed, without repeats.

    >>> split_words("Python， SQL、焊接; python")
    ['Python', 'SQL', '焊接']
    """
    seen: dict[str, str] = {}
    for word in re.split(r"[,，、;；\n]+", text or ""):
        word = word.strip()
        if word and word.lower() not in seen:
            seen[word.lower()] = word
    return list(seen.values())


def major_code_known(code: str) -> str | None:
    """The catalogue's code for a discipline (2 digits), class (4) or major (6, with or without T/K), or None."""
    code = code.strip().upper()
    if re.fullmatch(r"\d{2}", code):
        return code if Major.objects.filter(discipline_code=code).exists() else None
    if re.fullmatch(r"\d{4}", code):
        return code if Major.objects.filter(class_code=code).exists() else None
    if re.fullmatch(r"\d{6}[TK]{0,2}", code):
        major = Major.objects.filter(code_full=code).first() or Major.objects.filter(code=code[:6]).first()
        return major.code if major else None
    return None


def major_label(code: str) -> str:
    """What a required-major code means, in words: `08` → 工学（学科门类）."""
    if len(code) == 2:
        row = Major.objects.filter(discipline_code=code).first()
        return f"{row.discipline_name}（{_('学科门类，全部专业')}）" if row else code
    if len(code) == 4:
        row = Major.objects.filter(class_code=code).first()
        return f"{row.class_name}（{_('专业类')}）" if row else code
    row = Major.objects.filter(code=code).first()
    return f"{row.name}（{row.code_full}）" if row else code


class MajorCodesField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = split_words(value)
        return [str(v).strip() for v in value if str(v).strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_MAJORS:
            raise forms.ValidationError(_("专业要求最多 %(n)s 项。"), params={"n": MAX_MAJORS})

    def clean(self, value):
        codes = super().clean(value)
        known, unknown = [], []
        for code in codes:
            found = major_code_known(code)
            if found is None:
                unknown.append(code)
            elif found not in known:
                known.append(found)
        if unknown:
            raise forms.ValidationError(
                _("专业代码 %(codes)s 不在教育部本科专业目录中，请从目录中选择专业、专业类或学科门类。"),
                params={"codes": "、".join(unknown)},
                code="unknown_major",
            )
        return known


class WordsField(forms.CharField):
    def __init__(self, *, max_words: int, **kwargs):
        self.max_words = max_words
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = "，".join(str(v) for v in value)
        return split_words(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_words:
            raise forms.ValidationError(_("最多填写 %(n)s 项。"), params={"n": self.max_words})
        if any(len(word) > 30 for word in value):
            raise forms.ValidationError(_("每项不超过 30 个字。"))


class Form(forms.Form):
    """Labels without the trailing colon, as the rest of the matching pages write them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class JobForm(Form):
    title = forms.CharField(label=_("岗位名称"), max_length=100, error_messages={"required": _("请填写岗位名称。")})
    description = forms.CharField(
        label=_("岗位描述"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写岗位描述。")},
    )
    majors = MajorCodesField(
        label=_("专业要求"), required=False, help_text=_("可选具体专业、整个专业类或整个学科门类；不选表示专业不限。")
    )
    min_degree = forms.ChoiceField(label=_("最低学历"), choices=[("", _("不限"))] + DEGREES, required=False)
    skills = WordsField(
        label=_("技能要求"),
        max_words=MAX_SKILLS,
        required=False,
        help_text=_("用逗号或顿号分隔，例如：Python、数据分析"),
    )
    adcode = forms.CharField(
        label=_("工作地点"),
        max_length=6,
        widget=forms.HiddenInput,
        error_messages={"required": _("请从行政区划中选择工作地点。")},
    )
    pay_min = forms.IntegerField(
        label=_("月薪下限（元）"),
        min_value=1,
        max_value=PAY_CEILING,
        error_messages={"required": _("请填写月薪下限。")},
    )
    pay_max = forms.IntegerField(
        label=_("月薪上限（元）"),
        min_value=1,
        max_value=PAY_CEILING,
        error_messages={"required": _("请填写月薪上限。")},
    )
    headcount = forms.IntegerField(
        label=_("招聘人数"), min_value=1, max_value=9999, error_messages={"required": _("请填写招聘人数。")}
    )
    deadline = forms.DateField(
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写截止日期。")},
    )

    def clean_adcode(self):
        adcode = self.cleaned_data["adcode"].strip()
        if not Division.objects.filter(adcode=adcode, in_use=True).exists():
            raise forms.ValidationError(_("行政区划代码 %(code)s 不存在或已撤销。"), params={"code": adcode})
        return adcode

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        today = timezone.localdate()
        if deadline < today:
            raise forms.ValidationError(_("截止日期不能早于今天。"))
        if deadline > today + dt.timedelta(days=366):
            raise forms.ValidationError(_("截止日期最长为一年以内。"))
        return deadline

    def clean(self):
        data = super().clean()
        low, high = data.get("pay_min"), data.get("pay_max")
        if low is not None and high is not None and low > high:
            self.add_error("pay_max", _("月薪上限不能低于下限（%(low)s 元）。") % {"low": low})
        return data

    def majors_chosen(self) -> list[tuple[str, str]]:
        """The required majors as (code, words), for showing them again in the form."""
        value = self.cleaned_data.get("majors") if hasattr(self, "cleaned_data") else None
        if value is None:
            value = self.fields["majors"].to_python(self["majors"].value())
        return [(code, major_label(code)) for code in value]


def city_districts() -> list[tuple[str, str]]:
    """The city and its county-level divisions, for choosing places."""
    rows = Division.objects.filter(adcode__startswith=CITY, in_use=True).order_by("adcode")
    return [(CITY, f"{d.name}（{_('全市')}）") if d.adcode.endswith("00") else (d.adcode, d.name) for d in rows]


class ProfileForm(Form):
    skills = WordsField(
        label=_("技能"),
        max_words=MAX_SKILLS,
        required=False,
        help_text=_("用逗号或顿号分隔，例如：Python、CAD、英语六级"),
    )
    wish_adcodes = forms.MultipleChoiceField(
        label=_("意向工作地点"), required=False, widget=forms.CheckboxSelectMultiple
    )
    wish_chains = forms.MultipleChoiceField(
        label=_("意向产业链"), choices=CHAINS, required=False, widget=forms.CheckboxSelectMultiple
    )
    wish_pay = forms.IntegerField(label=_("期望月薪（元）"), min_value=1, max_value=PAY_CEILING, required=False)
    about = forms.CharField(
        label=_("个人简介"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    discoverable = forms.BooleanField(
        label=_("允许企业在“匹配候选人”中找到我（只显示姓氏、学历和技能，投递后企业才能看到姓名）"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wish_adcodes"].choices = city_districts()


class FiltersForm(Form):
    """Filters of the recommendations, the search and the candidates (all optional)."""

    q = forms.CharField(label=_("关键词"), max_length=50, required=False)
    place = forms.ChoiceField(label=_("地点"), required=False)
    chain = forms.ChoiceField(label=_("产业链"), choices=[("", _("不限"))] + CHAINS, required=False)
    degree = forms.ChoiceField(label=_("学历"), choices=[("", _("不限"))] + DEGREES, required=False)
    pay = forms.IntegerField(label=_("月薪不低于（元）"), min_value=0, max_value=PAY_CEILING, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("不限"))] + city_districts()

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "adcode_prefix": data.get("place") or "",
            "chain": data.get("chain") or "",
            "min_degree": data.get("degree") or "",
            "pay_at_least": data.get("pay") or None,
        }


class ApplyForm(Form):
    note = forms.CharField(
        label=_("给企业的留言（选填）"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(Form):
    text = forms.CharField(
        label=_("消息"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请输入消息内容。")},
    )


class StatusForm(Form):
    status = forms.ChoiceField(choices=Application.Status.choices)


class ReviewForm(Form):
    decision = forms.ChoiceField(choices=[("approve", _("通过并发布")), ("reject", _("退回修改"))])
    note = forms.CharField(
        label=_("审核意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("note"):
            self.add_error("note", _("退回时请写明需要修改的内容。"))
        return data
