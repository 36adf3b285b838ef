import datetime as dt

from django import forms
from django.utils import translation

from core.widgets import IsoDateInput


class DateForm(forms.Form):
    day = forms.DateField(widget=IsoDateInput())


def test_date_input_value_is_iso_in_chinese_and_english():
    # A plain DateInput renders "2026/12/03" in Chinese, which <input type="date"> drops.
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(DateForm(initial={"day": dt.date(2026, 12, 3)})["day"])
            assert 'type="date"' in html and 'value="2026-12-03"' in html, (language, html)
    with translation.override("zh-hans"):
        plain = forms.DateInput(attrs={"type": "date"}).render("day", dt.date(2026, 12, 3))
    assert 'value="2026/12/03"' in plain  # the defect this widget exists for


def test_submitted_iso_value_parses():
    with translation.override("zh-hans"):
        form = DateForm(data={"day": "2026-12-03"})
        assert form.is_valid()
    assert form.cleaned_data["day"] == dt.date(2026, 12, 3)
