"""HTML forms: they parse and shape input; the services decide what is allowed."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.geo import CITIES, place_name
from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from marketplace import selectors
from marketplace.models import AccidentHistory, EmissionStage, PhotoKind, SaleFormat
from marketplace.services import (
    DESCRIPTION_TOO_LONG,
    MAX_DESCRIPTION_LENGTH,
    ListingInput,
    MachineInput,
)

# Room for the whole required photo set (marketplace.photo_set) and one more in one upload.
MAX_PHOTOS_PER_UPLOAD = 8


def city_choices() -> list[tuple[str, str]]:
    return [(city.name, place_name(city.name)) for city in CITIES]


def equipment_model_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Equipment models grouped "brand · category" for an <optgroup> picker."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for model in selectors.equipment_models_for_picker():
        label = f"{model.brand.display_name} · {model.category.display_name}"
        groups.setdefault(label, []).append((model.pk, model.name))
    return [("", "—"), *groups.items()]


def category_choices() -> list[tuple[str, str]]:
    return [
        (option.category.slug, "\u2003" * option.depth + option.category.display_name)
        for option in selectors.category_tree()
    ]


def money_form_field(label: str, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        min_value=Decimal("0.01"),
    )


class ListingFieldsMixin(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    sale_format = forms.ChoiceField(
        label=_("销售方式"), choices=SaleFormat.choices, initial=SaleFormat.FIXED
    )
    asking_price = money_form_field(_("价格（元）"), required=False)
    invoice_available = forms.BooleanField(label=_("可提供发票"), required=False, initial=True)
    description = forms.CharField(
        label=_("描述"),
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        error_messages={"max_length": DESCRIPTION_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = forms.CharField(
        label=_("随机附件"),
        max_length=200,
        required=False,
        help_text=_("例如：破碎锤管路、快换接头、液压剪"),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("sale_format") != SaleFormat.AUCTION and cleaned.get("asking_price") is None:
            self.add_error("asking_price", _("一口价和议价必须填写价格。"))
        return cleaned

    def listing_input(self) -> ListingInput:
        data = self.cleaned_data
        return ListingInput(
            title=data["title"],
            sale_format=data["sale_format"],
            asking_price=data["asking_price"],
            description=data["description"],
            invoice_available=data["invoice_available"],
            attachments=data["attachments"],
        )


class ListingCreateForm(ListingFieldsMixin, forms.Form):
    """A new machine and its listing in one form (the dealer's everyday case)."""

    field_order = [
        "organization",
        "equipment_model",
        "serial_number",
        "year_of_manufacture",
        "hours",
        "emission_stage",
        "city",
        "district",
        "accident_history",
        "title",
        "sale_format",
        "asking_price",
        "invoice_available",
        "description",
        "attachments",
    ]

    organization = forms.ModelChoiceField(
        label=_("挂牌机构"), queryset=Organization.objects.none(), empty_label=None
    )
    equipment_model = forms.TypedChoiceField(
        label=_("机型"), choices=equipment_model_choices, coerce=int
    )
    serial_number = forms.CharField(label=_("出厂编号/PIN"), max_length=60)
    year_of_manufacture = forms.IntegerField(label=_("出厂年份"), min_value=1950)
    hours = forms.IntegerField(label=_("当前小时数"), min_value=0, required=False)
    emission_stage = forms.ChoiceField(
        label=_("排放标准"), choices=EmissionStage.choices, required=False
    )
    city = forms.ChoiceField(label=_("所在城市"), choices=city_choices)
    district = forms.CharField(label=_("区县"), max_length=50, required=False)
    accident_history = forms.ChoiceField(
        label=_("事故记录"), choices=AccidentHistory.choices, initial=AccidentHistory.NONE
    )

    def __init__(self, *args: object, organizations: list[Organization], **kwargs: object):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = Organization.objects.filter(pk__in=[org.pk for org in organizations])
        self._only_organization = organizations[0] if len(organizations) == 1 else None
        if self._only_organization is not None:
            field.initial = self._only_organization.pk
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_organization(self) -> Organization:
        return self.cleaned_data.get("organization") or self._only_organization

    def clean_year_of_manufacture(self) -> int:
        year = self.cleaned_data["year_of_manufacture"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("出厂年份不能晚于今年。"))
        return year

    def clean_equipment_model(self):
        from marketplace.models import EquipmentModel

        model_id = self.cleaned_data["equipment_model"]
        model = EquipmentModel.objects.select_related("brand", "category").filter(pk=model_id)
        if not model:
            raise forms.ValidationError(_("请选择机型。"))
        return model[0]

    def machine_input(self) -> MachineInput:
        data = self.cleaned_data
        return MachineInput(
            equipment_model=data["equipment_model"],
            serial_number=data["serial_number"],
            year_of_manufacture=data["year_of_manufacture"],
            city=data["city"],
            hours=data["hours"],
            emission_stage=data["emission_stage"] or "",
            district=data["district"],
            accident_history=data["accident_history"],
        )


class ListingEditForm(ListingFieldsMixin, forms.Form):
    @classmethod
    def initial_from(cls, listing) -> dict:
        return {
            "title": listing.title,
            "sale_format": listing.sale_format,
            "asking_price": listing.asking_price,
            "invoice_available": listing.invoice_available,
            "description": listing.description,
            "attachments": listing.attachments,
        }


class PhotoForm(forms.Form):
    """One photo and what it shows. The file is checked by content in the service."""

    image = forms.FileField(
        label=_("照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    kind = forms.ChoiceField(label=_("拍摄部位"), choices=PhotoKind.choices, initial="other")


class BasePhotoFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("image") for form in self.forms):
            raise forms.ValidationError(_("请至少选择一张照片。"))


PhotoFormSet = forms.formset_factory(
    PhotoForm, formset=BasePhotoFormSet, extra=MAX_PHOTOS_PER_UPLOAD, max_num=MAX_PHOTOS_PER_UPLOAD
)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("下架原因"), max_length=500, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("驳回原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("驳回时必须填写原因。")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("驳回时必须填写原因。"))
        return reason


class HourReadingForm(forms.Form):
    hours = forms.IntegerField(label=_("小时数"), min_value=0)
    read_at = forms.DateTimeField(
        label=_("读数时间"),
        required=False,
        help_text=_("留空表示现在"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class HourReadingCorrectionForm(forms.Form):
    """Supersede a mistaken reading: the corrected value and why (kept in the history)."""

    hours = forms.IntegerField(label=_("更正后的小时数"), min_value=0)
    reason = forms.CharField(
        label=_("更正原因"),
        max_length=200,
        help_text=_("例如：录入时多输了一个零。原读数仍保留在记录中，并标注为已更正。"),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("更正读数时必须填写原因。"))
        return reason
