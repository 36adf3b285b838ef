"""Forms of the staff payment pages: they only parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS


class BankTransferConfirmForm(forms.Form):
    """A transfer as the bank statement shows it. The amount may carry thousands separators;
    ``Infinity``, ``NaN`` and out-of-range numbers are form errors (DecimalField refuses
    non-finite values, max_digits the rest)."""

    reference = forms.CharField(label=_("转账附言"), max_length=32)
    amount = forms.DecimalField(
        label=_("实收金额"),
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        min_value=0,
        error_messages={"invalid": _("请输入有效的金额。")},
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            data["amount"] = data.get("amount", "").replace(",", "").strip()
        super().__init__(data, **kwargs)


class BankRefundRecordForm(forms.Form):
    payment = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    reference = forms.CharField(label=_("退款流水号"), max_length=64, required=False)
    action = forms.ChoiceField(choices=[("record", "record"), ("retry", "retry")], required=False)
