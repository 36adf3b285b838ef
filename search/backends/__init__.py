"""The two search backends behind one interface, chosen by ``settings.SEARCH_BACKEND``.

Each backend module provides ``search(resolved) -> SearchResult``, ``sync_listings(ids) -> int``,
``rebuild(progress) -> int`` and ``suggest(text, limit) -> Completions`` (the brands and models of
indexed listings whose names or codes start with the text).
"""

from types import ModuleType

from django.conf import settings


def get_backend(name: str | None = None) -> ModuleType:
    name = name or settings.SEARCH_BACKEND
    if name == "elasticsearch":
        from search.backends import elasticsearch

        return elasticsearch
    from search.backends import database

    return database
