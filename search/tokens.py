"""The database backend's vocabulary on PostgreSQL: words as small integers.

A search entry stores the ids of its text's tokens (``text.index_tokens``) as an ``integer[]``
with a GIN index, instead of a ``tsvector``: four bytes a token instead of about thirteen (a
Chinese bigram plus its positions), so the entry row, which filters, facet counts and sorts
read for every match, stays narrow. Each distinct token gets an id once, in ``SearchToken``
(tokens are never deleted; the table grows with the vocabulary, not with the listings).

A query term becomes token ids the same way: a Chinese term of two or more characters is the
set of its bigrams (an entry must contain all of them); a model code, a Latin word or a single
Chinese character is a prefix, expanded here to the ids of every known token that starts with
it (an entry must contain one of them). Lookups never create tokens: a word nobody wrote
matches nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from search.text import cjk_bigrams, is_cjk, normalise, normalise_code

MAX_TOKEN_LENGTH = 64  # longer tokens are cut (at writing and at lookup alike)


def _cut(word: str) -> str:
    return word[:MAX_TOKEN_LENGTH]


def ids_for(words: Iterable[str], token_model) -> dict[str, int]:
    """Token id of each word, creating the missing tokens (index writes only).

    ``token_model`` is ``SearchToken`` (or its historical model in a migration).
    """
    words = {_cut(word) for word in words if word}
    if not words:
        return {}
    token_model.objects.bulk_create(
        [token_model(text=word) for word in sorted(words)], ignore_conflicts=True
    )
    return dict(token_model.objects.filter(text__in=words).values_list("text", "pk"))


def id_list(words: Iterable[str], ids: dict[str, int]) -> list[int]:
    """The ids of ``words`` in first-seen order, each once."""
    return list(dict.fromkeys(ids[_cut(word)] for word in words if word))


@dataclass(frozen=True)
class TermIds:
    """One query term as token ids: an entry matches if it holds every id of ``all_of``
    (bigrams) or, for a prefix term, any id of ``any_of``."""

    all_of: tuple[int, ...] = ()
    any_of: tuple[int, ...] = ()


@dataclass
class TextMatch:
    """The token ids of a query's terms; ``impossible`` when a term matches no known token."""

    terms: list[TermIds] = field(default_factory=list)
    impossible: bool = False


def _term_words(term: str) -> tuple[list[str], str | None]:
    """(exact words, prefix) for one analysed query term."""
    if is_cjk(term):
        run = normalise(term)
        if len(run) == 1:
            return [], run
        return [_cut(bigram) for bigram in cjk_bigrams(run)], None
    code = normalise_code(term)
    return [], (_cut(code) if code else None)


def match_for(terms: Iterable[str], token_model) -> TextMatch:
    """Resolve analysed query terms to token ids with one query on the vocabulary."""
    planned = [_term_words(term) for term in terms]
    planned = [(words, prefix) for words, prefix in planned if words or prefix]
    if not planned:
        return TextMatch()
    exact = {word for words, _prefix in planned for word in words}
    prefixes = {prefix for _words, prefix in planned if prefix}
    condition = Q(text__in=exact) if exact else Q()
    for prefix in sorted(prefixes):
        condition |= Q(text__startswith=prefix)
    known = list(token_model.objects.filter(condition).values_list("text", "pk"))
    by_text = dict(known)
    match = TextMatch()
    for words, prefix in planned:
        if prefix is not None:
            any_of = tuple(sorted(pk for text, pk in known if text.startswith(prefix)))
            if not any_of:
                return TextMatch(impossible=True)
            match.terms.append(TermIds(any_of=any_of))
        else:
            if any(word not in by_text for word in words):
                return TextMatch(impossible=True)
            match.terms.append(TermIds(all_of=tuple(dict.fromkeys(by_text[w] for w in words))))
    return match
