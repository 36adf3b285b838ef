"""HTML forms: they only parse input; the services decide.

Date inputs are ``<input type="date">``, whose value must be ISO ``YYYY-MM-DD`` whatever the
language (the Chinese locale's first input format, ``YYYY/MM/DD``, renders as an empty
field), so every date widget here is :func:`iso_date_input`.
"""

from collections.abc import Mapping

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.inspection_templates import (
    HOUR_METER_PHOTO,
    NO,
    YES,
    InspectionTemplate,
    WorksheetSystem,
)
from certification.models import (
    FluidResult,
    PartDisposition,
    RemanStage,
    RemanSubject,
    SystemRating,
    TestResult,
)
from core.errors import DomainError
from core.widgets import IsoDateInput


def iso_date_input() -> forms.DateInput:
    return IsoDateInput()


def apply_domain_error(
    form: forms.Form, exc: DomainError, labels: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on the form: the message on top, each field's reasons at the
    field, and reasons about things outside the form (photos, worksheet lines) on top too,
    named by their ``labels`` (never by internal keys)."""
    labels = labels or {}
    form.add_error(None, exc.message)
    for name, messages in exc.fields.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
        else:
            label = labels.get(name) or form_label(form, name)
            form.add_error(None, f"{label}：{'；'.join(str(m) for m in messages)}")


def form_label(form: forms.Form, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else _("其他")


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


TRADEABLE_CHOICES = [("", "—"), (YES, _("符合")), (NO, _("不符合"))]


class ReportForm(forms.Form):
    """The report header; the template adds its tradeable and major-accident questions as
    ``tradeable_<key>`` and ``accident_<key>`` fields."""

    inspected_on = forms.DateField(
        label=_("检测日期"), initial=timezone.localdate, widget=iso_date_input()
    )
    location = forms.CharField(label=_("检测地点"), required=False)
    plate_number = forms.CharField(label=_("铭牌/车牌号"), required=False)
    serial_number_observed = forms.CharField(label=_("现场核对的出厂编号"), required=False)
    hour_meter_reading = forms.IntegerField(
        label=_("小时表读数"), min_value=0, max_value=2_000_000, required=False
    )
    hour_meter_explanation = forms.CharField(
        label=_("小时表读数回退说明"),
        help_text=_("读数低于此前记录时必填，例如更换仪表的日期和原表读数。"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
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

    IDENTITY = ("plate_number", "serial_number_observed", "hour_meter_reading")
    ACCIDENT = ("fire_damage", "flood_damage", "structural_accident", "is_parts_machine")
    TESTS = (
        "cold_start",
        "functional_test",
        "test_notes",
        "engine_oil_sample",
        "hydraulic_oil_sample",
        "coolant_sample",
        "fluid_notes",
    )

    def __init__(self, *args, template: InspectionTemplate, **kwargs):
        initial = dict(kwargs.pop("initial", None) or {})
        for key, answer in (initial.pop("tradeable_checks", None) or {}).items():
            initial[f"tradeable_{key}"] = answer
        for key, answer in (initial.pop("accident_checks", None) or {}).items():
            initial[f"accident_{key}"] = answer
        super().__init__(*args, initial=initial, **kwargs)
        self.template = template
        for check in template.tradeable_checks:
            self.fields[f"tradeable_{check.key}"] = forms.ChoiceField(
                label=check.label, choices=TRADEABLE_CHOICES, required=False
            )
        for check in template.accident_checks:
            self.fields[f"accident_{check.key}"] = forms.BooleanField(
                label=check.label, required=False
            )

    def section(self, names):
        return [self[name] for name in names]

    def identity_fields(self):
        return self.section(self.IDENTITY)

    def tradeable_fields(self):
        return self.section(f"tradeable_{c.key}" for c in self.template.tradeable_checks)

    def accident_fields(self):
        extra = [f"accident_{c.key}" for c in self.template.accident_checks]
        return self.section([*self.ACCIDENT[:3], *extra, self.ACCIDENT[3]])

    def test_fields(self):
        return self.section(self.TESTS)

    def report_data(self) -> dict:
        """The cleaned values as the service's ReportInput keyword arguments."""
        data = self.cleaned_data
        values = {
            name: data[name] if data[name] is not None or name == "hour_meter_reading" else ""
            for name in self.base_fields
        }
        values["tradeable_checks"] = {
            c.key: data[f"tradeable_{c.key}"] for c in self.template.tradeable_checks
        }
        values["accident_checks"] = {
            c.key: data[f"accident_{c.key}"] for c in self.template.accident_checks
        }
        return values


class ItemForm(forms.Form):
    """One worksheet line; the checkpoints of the system are ticked when defective."""

    rating = forms.ChoiceField(
        label=_("评级"), choices=[("", "—"), *SystemRating.choices], required=False
    )
    wear_percent = forms.DecimalField(
        label=_("磨损率（%）"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    defects = forms.MultipleChoiceField(
        label=_("发现的缺陷"), widget=forms.CheckboxSelectMultiple, required=False
    )
    comment = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, entry: WorksheetSystem, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["defects"].choices = [(c.key, c.label) for c in entry.checkpoints]
        if not entry.records_wear:
            del self.fields["wear_percent"]


class PhotoForm(forms.Form):
    angle = forms.ChoiceField(label=_("拍摄角度"), required=False)
    image = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, template: InspectionTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["angle"].choices = [
            (HOUR_METER_PHOTO, _("小时表")),
            *((angle.key, angle.label) for angle in template.photo_angles),
            ("", _("其他（补充照片）")),
        ]


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
    valid_from = forms.DateField(label=_("有效期自"), required=False, widget=iso_date_input())
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=iso_date_input())
    inspection_report = forms.ModelChoiceField(
        label=_("关联检测报告"),
        queryset=None,
        required=False,
        help_text=_("整机证书须关联该设备已出具的检测报告。"),
    )

    def __init__(self, *args, reports=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection_report"].queryset = reports
        self.fields["inspection_report"].label_from_instance = lambda report: (
            f"{report.number} · {report.inspected_on:%Y-%m-%d} · {report.grade}"
        )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("工序"), choices=RemanStage.choices)
    performed_on = forms.DateField(label=_("日期"), required=False, widget=iso_date_input())
    passed = forms.BooleanField(label=_("合格"), required=False)
    result = forms.CharField(label=_("结果"))


class PartForm(forms.Form):
    name = forms.CharField(label=_("零件名称"))
    part_number = forms.CharField(label=_("零件号"), required=False)
    disposition = forms.ChoiceField(label=_("处置"), choices=PartDisposition.choices)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    unit_mass_kg = forms.DecimalField(label=_("单件质量（kg）"), min_value=0, decimal_places=3)
