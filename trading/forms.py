from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from trading.models import DepositMethod

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


class BidForm(forms.Form):
    maximum = forms.DecimalField(label=_("您的最高出价（系统代理竞价）"), **MONEY)


class QualificationForm(forms.Form):
    bidding_limit = forms.DecimalField(label=_("竞价上限"), **MONEY)
    method = forms.ChoiceField(
        label=_("保证金方式"),
        choices=[
            (DepositMethod.BANK, DepositMethod.BANK.label),
            (DepositMethod.CARD, DepositMethod.CARD.label),
        ],
    )


class OfferForm(forms.Form):
    amount = forms.DecimalField(label=_("出价金额"), **MONEY)
    message = forms.CharField(label=_("留言"), max_length=300, required=False)


class CounterForm(forms.Form):
    counter_amount = forms.DecimalField(label=_("还价金额"), **MONEY)


class LotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    opening_bid = forms.DecimalField(label=_("起拍价"), **MONEY)
    reserve_price = forms.DecimalField(label=_("保留价（不公开，可不填）"), required=False, **MONEY)
