"""Glue between django-allauth, django-axes and our users."""

from django.http import HttpRequest

from accounts.models import User


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """The name axes counts failures under: one per account, typed as username or e-mail.

    allauth passes ``username`` (and ``email`` when the login looks like one), the Wagtail
    and Django admin forms pass ``username``, the token API likewise. An e-mail address of an
    existing account is counted under that account's username, so switching between the two
    spellings does not double the number of tries.
    """
    credentials = credentials or {}
    data = getattr(request, "POST", None) or {}
    value = (
        credentials.get("username")
        or credentials.get("email")
        or data.get("login")
        or data.get("username")
        or ""
    )
    value = str(value).strip()
    if "@" in value:
        username = (
            User.objects.filter(email__iexact=value).values_list("username", flat=True).first()
        )
        if username:
            return username
        return value.lower()
    return value
