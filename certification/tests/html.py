"""Reading the certifier's HTML forms in tests: the edit address, an input's value, the errors."""

import re


def edit_url(report) -> str:
    return f"/certification/reports/{report.pk}/edit/"


def input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def form_errors(html: str) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S))
