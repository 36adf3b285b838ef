from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import IsoDateInput
from recycling.models import Material, Treatment


class DisposalRequestForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class QuoteForm(forms.Form):
    price = forms.DecimalField(label=_("回收报价（元）"), min_value=0, decimal_places=2)
    note = forms.CharField(label=_("说明"), required=False)


BLANK = [("", "—")]


class MaterialForm(forms.Form):
    # A blank first choice: the rows a recycler leaves untouched stay unchanged and are
    # skipped (with a preselected material every spare row demanded a mass).
    material = forms.ChoiceField(label=_("材料"), choices=BLANK + Material.choices)
    treatment = forms.ChoiceField(label=_("处理方式"), choices=BLANK + Treatment.choices)
    mass_kg = forms.DecimalField(label=_("质量（kg）"), min_value=0, decimal_places=3)


MaterialFormSet = forms.formset_factory(MaterialForm, extra=6, min_num=1, validate_min=True)


class CompletionForm(forms.Form):
    completed_on = forms.DateField(
        label=_("拆解完成日期"),
        initial=timezone.localdate,
        widget=IsoDateInput(),
    )


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
