"""PDF rendering of trading documents (the payment notice) with WeasyPrint, following the
project's pattern (certification.pdf): a template rendered to HTML, then to PDF.

Chinese text needs a CJK font on the host: the template asks for "Noto Sans CJK SC"
(Debian/Ubuntu package ``fonts-noto-cjk``).
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: heavy, and only PDF views need it

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
