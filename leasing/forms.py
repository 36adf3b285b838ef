"""HTML forms of the leasing app: they parse input; the services decide."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from core.widgets import IsoDateInput
from leasing.models import DocumentKind, LeaseProduct, LeaseType, RentTiming, RepaymentMethod
from leasing.services import ProductInput, RateBandInput
from marketplace.models import Category


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **kwargs
    )


def share_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=5, decimal_places=4, **kwargs)


RATE_BAND_LINE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*:\s*([0-9.]+)\s*([A-E]?)\s*$")


class ProductForm(forms.Form):
    name = forms.CharField(label=_("产品名称"), max_length=100)
    description = forms.CharField(label=_("产品说明"), widget=forms.Textarea, required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("适用类别（含子类别）"), queryset=Category.objects.all()
    )
    max_machine_age_years = forms.IntegerField(
        label=_("最大机龄（年）"), min_value=0, required=False
    )
    max_hours = forms.IntegerField(label=_("最大小时数"), min_value=0, required=False)
    min_term_months = forms.IntegerField(label=_("最短期限（月）"), min_value=1, max_value=120)
    max_term_months = forms.IntegerField(label=_("最长期限（月）"), min_value=1, max_value=120)
    allowed_terms = forms.CharField(
        label=_("可选期限（月，逗号分隔）"), required=False, help_text=_("如 12,24,36")
    )
    default_annual_rate = share_field(_("默认年利率（小数，如 0.065）"), min_value=0, max_value=1)
    rate_bands = forms.CharField(
        label=_("利率档"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一档：最短-最长:年利率 [成色等级]，如 “12-24:0.06” 或 “25-60:0.07 B”"),
    )
    min_down_payment_share = share_field(_("最低首付比例"), min_value=0, max_value=1)
    max_ltv = share_field(_("最高融资比例（占估值）"), min_value=0, max_value=1)
    deposit_share = share_field(_("保证金比例（占融资额）"), min_value=0, max_value=1)
    fee_fixed = money_field(_("固定手续费"), min_value=0)
    fee_share = share_field(_("手续费比例（占融资额）"), min_value=0, max_value=1)
    buyout_price = money_field(_("留购价"), min_value=0)
    balloon_allowed = forms.BooleanField(label=_("允许尾付/残值"), required=False)
    allows_direct = forms.BooleanField(label=_("支持直租"), required=False)
    allows_sale_leaseback = forms.BooleanField(label=_("支持售后回租"), required=False)

    @classmethod
    def initial_for(cls, product: LeaseProduct) -> dict:
        fields = [name for name in cls.base_fields if name not in ("categories", "rate_bands")]
        initial = {name: getattr(product, name) for name in fields}
        initial["allowed_terms"] = ",".join(str(term) for term in product.allowed_terms)
        initial["categories"] = list(product.categories.all())
        initial["rate_bands"] = "\n".join(
            f"{band.min_term_months}-{band.max_term_months}:{band.annual_rate} "
            f"{band.condition_grade}".strip()
            for band in product.rate_bands.all()
        )
        return initial

    def clean_allowed_terms(self) -> list[int]:
        raw = self.cleaned_data["allowed_terms"].replace("，", ",")
        try:
            return sorted({int(part) for part in raw.split(",") if part.strip()})
        except ValueError as exc:
            raise forms.ValidationError(_("请输入以逗号分隔的整数。")) from exc

    def clean_rate_bands(self) -> list[RateBandInput]:
        bands = []
        for line in self.cleaned_data["rate_bands"].splitlines():
            if not line.strip():
                continue
            match = RATE_BAND_LINE.match(line)
            if match is None:
                raise forms.ValidationError(_("无法识别的利率档：%(line)s") % {"line": line})
            low, high, rate, grade = match.groups()
            bands.append(RateBandInput(int(low), int(high), Decimal(rate), grade))
        return bands

    def to_input(self) -> ProductInput:
        data = self.cleaned_data
        return ProductInput(
            name=data["name"],
            description=data["description"],
            category_ids=[category.pk for category in data["categories"]],
            max_machine_age_years=data["max_machine_age_years"],
            max_hours=data["max_hours"],
            min_term_months=data["min_term_months"],
            max_term_months=data["max_term_months"],
            allowed_terms=data["allowed_terms"],
            default_annual_rate=data["default_annual_rate"],
            min_down_payment_share=data["min_down_payment_share"],
            max_ltv=data["max_ltv"],
            deposit_share=data["deposit_share"],
            fee_fixed=data["fee_fixed"],
            fee_share=data["fee_share"],
            buyout_price=data["buyout_price"],
            balloon_allowed=data["balloon_allowed"],
            allows_direct=data["allows_direct"],
            allows_sale_leaseback=data["allows_sale_leaseback"],
            rate_bands=data["rate_bands"],
        )


class ApplyForm(forms.Form):
    """Purchase finance for a listing, on one matching product."""

    product = forms.ModelChoiceField(
        label=_("融资产品"),
        queryset=LeaseProduct.objects.none(),
        # Product names are the lessors' own (no English form).
        widget=forms.Select(attrs={"data-untranslated": ""}),
    )
    down_payment = money_field(_("首付款"), min_value=0, required=False)
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=120)
    method = forms.ChoiceField(
        label=_("还款方式"),
        choices=[c for c in RepaymentMethod.choices if c[0] != RepaymentMethod.FLAT],
    )
    timing = forms.ChoiceField(label=_("付租时点"), choices=RentTiming.choices)
    lease_type = forms.ChoiceField(label=_("租赁方式"), choices=LeaseType.choices)
    balloon = money_field(_("尾付"), min_value=0, required=False)
    message = forms.CharField(
        label=_("留言"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, products=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = LeaseProduct.objects.filter(
            pk__in=[product.pk for product in products]
        )


class PreapprovalForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("融资产品"),
        queryset=LeaseProduct.objects.none(),
        # Product names are the lessors' own (no English form).
        widget=forms.Select(attrs={"data-untranslated": ""}),
    )
    amount = money_field(_("申请额度"), min_value=1)
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=120)
    message = forms.CharField(
        label=_("留言"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, products=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if products is not None:
            self.fields["product"].queryset = products


class SaleLeasebackForm(PreapprovalForm):
    amount = money_field(_("回租价格（出售给租赁公司的价格）"), min_value=1)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("资料类型"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("文件（PDF 或图片，不超过 10 MB）"))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ApprovalForm(forms.Form):
    price = money_field(_("设备价格/额度"), min_value=0)
    down_payment = money_field(_("首付款"), min_value=0)
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=120)
    annual_rate = share_field(_("名义年利率（小数）"), min_value=0, max_value=1)
    deposit = money_field(_("保证金"), min_value=0)
    fee = money_field(_("手续费"), min_value=0)
    buyout_price = money_field(_("留购价"), min_value=0)
    balloon = money_field(_("尾付"), min_value=0)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=IsoDateInput())


class ContractStartForm(forms.Form):
    registry_reference = forms.CharField(label=_("中登网登记编号"), max_length=60)
    start_date = forms.DateField(label=_("起租日"), required=False, widget=IsoDateInput())
