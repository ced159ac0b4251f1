from django import forms
from django.utils.translation import gettext_lazy as _

from magnet.apps.reference.models import DeclaredEducation, University
from magnet.apps.reference.selectors import major_by_code


class DeclaredEducationForm(forms.Form):
    degree = forms.ChoiceField(label=_("学历"), choices=DeclaredEducation.DEGREES)
    university = forms.CharField(label=_("学校"), max_length=10, widget=forms.HiddenInput,
                                 error_messages={"required": _("请从目录中选择学校。")})
    major = forms.CharField(label=_("专业"), max_length=10, widget=forms.HiddenInput,
                            error_messages={"required": _("请从目录中选择专业。")})
    graduation_date = forms.DateField(label=_("毕业日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_university(self):
        university = University.objects.filter(school_id10=self.cleaned_data["university"]).first()
        if university is None:
            raise forms.ValidationError(_("学校不在教育部名单中，请从目录中选择。"))
        return university

    def clean_major(self):
        major = major_by_code(self.cleaned_data["major"])
        if major is None:
            raise forms.ValidationError(_("专业代码不在本科专业目录中，请从目录中选择。"))
        return major
