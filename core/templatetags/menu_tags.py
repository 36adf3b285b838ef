"""``{% role_menu as groups %}``: the header's role menu (see core.dashboard.main_menu)."""

from django import template

from core.dashboard import MenuGroup, main_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def role_menu(context) -> list[MenuGroup]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return main_menu(request, request.user)
