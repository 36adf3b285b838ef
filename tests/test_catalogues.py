"""The English catalogues: every message translated, and one wording per message.

Django merges every app's catalogue into one per language, so a Chinese message translated
differently in two apps shows one app's wording in the other's pages. A message that really
means different things in different places gets a context (``pgettext``), see ADR 0003.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

CATALOGUES = sorted(
    path
    for pattern in ("locale/en/LC_MESSAGES/django.po", "*/locale/en/LC_MESSAGES/django.po")
    for path in Path(settings.BASE_DIR).glob(pattern)
    if ".venv" not in path.parts
)


def _catalogue(path: Path) -> str:
    """The app a catalogue belongs to ("project" for LOCALE_PATHS)."""
    app = path.parts[-5]
    return "project" if Path(*path.parts[:-4]) == Path(settings.BASE_DIR) else app


def _entries(path: Path) -> dict[tuple[str | None, str], tuple[str, bool]]:
    """(context, msgid) -> (msgstr, fuzzy) for the live entries of one catalogue."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or lines[0].startswith("#~"):
            continue
        parts: dict[str, list[str]] = {"msgctxt": [], "msgid": [], "msgstr": []}
        state = None
        for line in lines:
            keyword = line.split(" ", 1)[0]
            if keyword in parts or keyword.startswith("msgstr[") or keyword == "msgid_plural":
                state = "msgstr" if keyword.startswith("msgstr[") else keyword
                value = ast.literal_eval(line[len(keyword) + 1 :])
                parts.setdefault(state, []).append(value)
            elif line.startswith('"') and state:
                parts[state].append(ast.literal_eval(line))
        msgid = "".join(parts["msgid"])
        if msgid:
            fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
            key = ("".join(parts["msgctxt"]) or None, msgid)
            entries[key] = ("".join(parts["msgstr"]), fuzzy)
    return entries


def test_catalogues_are_found():
    apps = {_catalogue(path) for path in CATALOGUES}
    assert {"project", "marketplace", "trading", "valuation", "certification"} <= apps


def test_every_message_is_translated_and_none_is_fuzzy():
    missing = [
        f"{_catalogue(path)}: {msgid}"
        for path in CATALOGUES
        for (_context, msgid), (msgstr, fuzzy) in _entries(path).items()
        if not msgstr or fuzzy
    ]
    assert missing == []


def test_one_english_wording_per_message():
    wordings: dict[tuple[str | None, str], dict[str, str]] = defaultdict(dict)
    for path in CATALOGUES:
        for key, (msgstr, _fuzzy) in _entries(path).items():
            wordings[key][_catalogue(path)] = msgstr
    conflicts = {key: apps for key, apps in wordings.items() if len(set(apps.values())) > 1}
    assert conflicts == {}
