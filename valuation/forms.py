"""The public "value my machine" form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.geo import CITIES, place_name
from marketplace.models import ConditionGrade, EmissionStage, EquipmentModel, SaleFormat


class EstimateForm(forms.Form):
    equipment_model = forms.ModelChoiceField(
        label=_("机型"),
        queryset=EquipmentModel.objects.select_related("brand", "category").order_by(
            "brand__name", "name"
        ),
    )
    year = forms.IntegerField(label=_("出厂年份"), min_value=1980, max_value=2100, required=False)
    hours = forms.IntegerField(label=_("小时数"), min_value=0, max_value=200000, required=False)
    city = forms.ChoiceField(
        label=_("所在城市"),
        choices=lambda: [("", _("其他/未知"))] + [(c.name, place_name(c.name)) for c in CITIES],
        required=False,
    )
    condition_grade = forms.ChoiceField(
        label=_("成色等级"), choices=[("", _("未评定")), *ConditionGrade.choices], required=False
    )
    emission_stage = forms.ChoiceField(
        label=_("排放标准"), choices=EmissionStage.choices, required=False
    )
    is_remanufactured = forms.BooleanField(label=_("再制造"), required=False)
    sale_format = forms.ChoiceField(
        label=_("销售方式"), choices=SaleFormat.choices, initial=SaleFormat.FIXED
    )
