"""PDF payloads for upload tests: a clean one and ones carrying active content."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def pdf_bytes() -> bytes:
    return _written(_one_page())


def _action(kind: str, **entries: str) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def pdf_with(active: str) -> bytes:
    """A one-page PDF with one kind of active content (see ``ACTIVE_PDF_KINDS``)."""
    writer = _one_page()
    if active == "names_javascript":
        script = writer._add_object(_action("/JavaScript", JS="app.alert('x');"))
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("start"), script])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
    elif active == "open_action_javascript":
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(
            _action("/JavaScript", JS="app.alert(1)")
        )
    elif active == "open_action_launch":
        writer._root_object[NameObject("/OpenAction")] = _action("/Launch", F="cmd.exe")
    elif active == "page_additional_action":
        writer.pages[0][NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): _action("/URI", URI="https://example.com/")}
        )
    elif active == "embedded_file":
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    else:
        raise ValueError(active)
    return _written(writer)


ACTIVE_PDF_KINDS = (
    "names_javascript",
    "open_action_javascript",
    "open_action_launch",
    "page_additional_action",
    "embedded_file",
)


def pdf_with_harmless_open_action() -> bytes:
    """/OpenAction that only shows the first page: ordinary, accepted."""
    writer = _one_page()
    writer._root_object[NameObject("/OpenAction")] = _action("/GoTo")
    return _written(writer)


def pdf_upload(name: str = "营业执照.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or pdf_bytes(), content_type="application/pdf")


def disguised_html(name: str = "evil.html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4<script>alert(1)</script>", content_type="text/html")


def svg_upload(name: str = "logo.svg") -> SimpleUploadedFile:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return SimpleUploadedFile(name, svg, content_type="image/svg+xml")
