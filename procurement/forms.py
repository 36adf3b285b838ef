"""HTML forms of the procurement app: they parse input only; the services validate the
request and refuse with field errors, which the views put back on these forms."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from marketplace.models import Category
from procurement.models import ItemCondition, Method, Visibility

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrganizationCheckboxes(forms.CheckboxSelectMultiple):
    """Organization names are not translated: marked so for the language checks."""

    option_template_name = "procurement/widgets/organization_option.html"


class RfqForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("需求说明"), widget=forms.Textarea, required=False)
    method = forms.ChoiceField(label=_("采购方式"), choices=Method.choices)
    visibility = forms.ChoiceField(label=_("发布范围"), choices=Visibility.choices)
    invited_organizations = forms.ModelMultipleChoiceField(
        label=_("受邀机构"),
        queryset=Organization.objects.filter(kind=OrganizationKind.DEALER).order_by("name"),
        required=False,
        widget=OrganizationCheckboxes,
    )
    deadline = forms.DateTimeField(label=_("报价截止时间"), widget=DATETIME)


class RfqLineForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("设备类别"), queryset=Category.objects.order_by("name"), to_field_name="slug"
    )
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    conditions = forms.MultipleChoiceField(
        label=_("可接受成色"),
        choices=ItemCondition.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    delivery_city = forms.CharField(label=_("交付城市"), max_length=50, required=False)
    specification = forms.CharField(
        label=_("技术要求"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


RfqLineFormSet = forms.formset_factory(RfqLineForm, extra=1, min_num=1, validate_min=True)


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(label=_("报价截止时间"), widget=DATETIME)


class QuoteLineForm(forms.Form):
    """One line of a supplier's quote; ``rfq_line`` comes from the request, not the user."""

    unit_price = forms.DecimalField(label=_("含税单价"), **MONEY)
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    lead_time_days = forms.IntegerField(label=_("交货期（天）"), min_value=0, initial=0)
    warranty_months = forms.IntegerField(label=_("质保期（月）"), min_value=0, initial=0)
    machine = forms.IntegerField(label=_("报价设备编号（可不填）"), min_value=1, required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=2000, required=False)
