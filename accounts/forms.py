"""HTML forms of the accounts app."""

from django import forms
from django.utils.translation import gettext_lazy as _


class KycRejectForm(forms.Form):
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


class KycSubmitForm(forms.Form):
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        min_length=18,
        max_length=18,
        help_text=_("18 位，见营业执照。"),
    )
