"""Server-side check of the confirmation box on destructive actions.

The templates mark the box ``required`` so the browser asks first, but a form posted without it
(an old page, a script, a browser that ignores ``required``) must change nothing either.
"""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def confirmed(request: HttpRequest) -> bool:
    """True if the posted form carries the ticked confirmation box; else adds an error message."""
    if request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE:
        return True
    messages.error(request, _("请先勾选确认框再提交：该操作不能撤回。"))
    return False
