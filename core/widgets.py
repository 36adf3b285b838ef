"""Form widgets shared by every app."""

from django import forms


class IsoDateInput(forms.DateInput):
    """``<input type="date">`` with its value in ISO format, the only one browsers accept.

    Django renders a date in the active language's first input format, which a date input
    drops as invalid: the field came back blank after a save and a required one blocked the
    form's submission with no message."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
