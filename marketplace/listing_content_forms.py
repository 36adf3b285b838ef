"""Forms of the listing page's buyer sections (price change, questions, moderation)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from marketplace.services.listing_content import (
    ANSWER_MAX_LENGTH,
    PRICE_REASON_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
)


class PriceChangeForm(forms.Form):
    new_price = forms.DecimalField(
        label=_("新价格（元）"),
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        min_value=1,
    )
    reason = forms.CharField(
        label=_("调价说明（选填，公开）"), max_length=PRICE_REASON_MAX_LENGTH, required=False
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("向卖家提问"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("问题和卖家的回答经平台审核后公开显示。请勿填写电话、微信等联系方式。"),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("回答"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", _("公开")), ("reject", _("驳回"))]
    )
    reason = forms.CharField(label=_("驳回原因"), max_length=200, required=False)
