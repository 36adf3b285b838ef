"""Visible text of an HTML page, for the language checks (tests/test_page_languages.py).

Collects text nodes and the visible attributes (alt, title, placeholder, aria-label, the
label of a submit button) outside <script>, <style> and <template>, and outside any element
marked as having no translation: ``data-untranslated`` (names, addresses, what users typed)
or a ``lang`` attribute naming another language than the page's. ``data-untranslated="title"``
leaves out only the named attributes (e.g. a lessor's name in a tooltip).
"""

from html.parser import HTMLParser

VISIBLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
HIDDEN = {"script", "style", "template", "noscript"}


class _TextParser(HTMLParser):
    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language.lower()
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.pieces: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _other_language(self, lang: str | None) -> bool:
        if lang is None:
            return False
        lang = lang.lower()
        return bool(lang) and not (lang.startswith(self.language) or self.language.startswith(lang))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        marked = "data-untranslated" in values
        skipped_attributes = set((values.get("data-untranslated") or "").split())
        skipped = (
            self._skipped()
            or tag in HIDDEN
            or (marked and not skipped_attributes)
            or self._other_language(values.get("lang"))
        )
        if not skipped:
            for name in VISIBLE_ATTRIBUTES:
                if values.get(name) and name not in skipped_attributes:
                    self.pieces.append(values[name])
            if (
                tag == "input"
                and values.get("type") in ("submit", "button")
                and values.get("value")
            ):
                self.pieces.append(values["value"])
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipped() and data.strip():
            self.pieces.append(data.strip())


def visible_text(html: str, language: str) -> list[str]:
    parser = _TextParser(language)
    parser.feed(html)
    parser.close()
    return parser.pieces
