"""HTML forms: they only parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import (
    FluidResult,
    PartDisposition,
    RemanStage,
    RemanSubject,
    System,
    SystemRating,
    TestResult,
)
from core.errors import DomainError


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: per field where it names one, else on top."""
    placed = False
    for name, messages in exc.fields.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed = True
    if not placed or not exc.fields:
        form.add_error(None, exc.message)
    else:
        others = [f"{k}: {'; '.join(v)}" for k, v in exc.fields.items() if k not in form.fields]
        if others:
            form.add_error(None, exc.message + " " + " ".join(others))


class InspectionRequestForm(forms.Form):
    certifier = forms.ModelChoiceField(queryset=None, label=_("认证检测机构"))
    note = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, certifiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certifier"].queryset = certifiers


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    inspected_on = forms.DateField(
        label=_("检测日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    location = forms.CharField(label=_("检测地点"), required=False)
    plate_number = forms.CharField(label=_("铭牌/车牌号"), required=False)
    serial_number_observed = forms.CharField(label=_("现场核对的出厂编号"), required=False)
    hour_meter_reading = forms.IntegerField(label=_("小时表读数"), min_value=0, required=False)
    fire_damage = forms.BooleanField(label=_("火烧痕迹"), required=False)
    flood_damage = forms.BooleanField(label=_("水淹痕迹"), required=False)
    structural_accident = forms.BooleanField(label=_("重大结构性事故"), required=False)
    is_parts_machine = forms.BooleanField(label=_("仅具拆件价值"), required=False)
    cold_start = forms.ChoiceField(label=_("冷启动"), choices=TestResult.choices, required=False)
    functional_test = forms.ChoiceField(
        label=_("功能测试"), choices=TestResult.choices, required=False
    )
    test_notes = forms.CharField(
        label=_("测试说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    engine_oil_sample = forms.ChoiceField(
        label=_("发动机油样"), choices=FluidResult.choices, required=False
    )
    hydraulic_oil_sample = forms.ChoiceField(
        label=_("液压油样"), choices=FluidResult.choices, required=False
    )
    coolant_sample = forms.ChoiceField(
        label=_("冷却液"), choices=FluidResult.choices, required=False
    )
    fluid_notes = forms.CharField(
        label=_("油液说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    summary = forms.CharField(
        label=_("检测结论"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ItemForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("评级"), choices=[("", "—"), *SystemRating.choices], required=False
    )
    wear_percent = forms.DecimalField(
        label=_("磨损率（%）"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    comment = forms.CharField(label=_("说明"), required=False)


class PhotoForm(forms.Form):
    system = forms.ChoiceField(
        label=_("部位"),
        choices=[("hour_meter", _("小时表")), *System.choices, ("", _("其他"))],
        required=False,
    )
    image = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), required=False)


class CertificateForm(forms.Form):
    subject = forms.ChoiceField(label=_("认证对象"), choices=RemanSubject.choices)
    component_name = forms.CharField(label=_("部件名称"), required=False)
    component_part_number = forms.CharField(label=_("部件图号"), required=False)
    component_serial = forms.CharField(label=_("部件编号"), required=False)
    core_identification = forms.CharField(
        label=_("旧件（毛坯）识别信息"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    remanufacturer = forms.CharField(label=_("再制造企业"), required=False)
    performance_declaration = forms.BooleanField(
        label=_("声明：再制造产品性能达到或超过原型新品（GB/T 27611）"), required=False
    )
    test_summary = forms.CharField(
        label=_("性能检测结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    label_text = forms.CharField(label=_("再制造标识内容（GB/T 41101.2）"), required=False)
    label_location = forms.CharField(label=_("标识位置"), required=False)
    warranty_months = forms.IntegerField(label=_("质保期（月）"), min_value=0, required=False)
    warranty_terms = forms.CharField(
        label=_("质保条款"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    valid_from = forms.DateField(
        label=_("有效期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("工序"), choices=RemanStage.choices)
    performed_on = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    passed = forms.BooleanField(label=_("合格"), required=False)
    result = forms.CharField(label=_("结果"))


class PartForm(forms.Form):
    name = forms.CharField(label=_("零件名称"))
    part_number = forms.CharField(label=_("零件号"), required=False)
    disposition = forms.ChoiceField(label=_("处置"), choices=PartDisposition.choices)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    unit_mass_kg = forms.DecimalField(label=_("单件质量（kg）"), min_value=0, decimal_places=3)
