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

from collections.abc import Iterable, Sequence
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
    """One word as token ids: an entry holds it if it holds every id of ``all_of``
    (bigrams) or, for a prefix word, any id of ``any_of``."""

    all_of: tuple[int, ...] = ()
    any_of: tuple[int, ...] = ()


@dataclass(frozen=True)
class TermChoice:
    """One query term: an entry matches if it holds one of the words that may stand for the
    term (the term itself, its synonyms, the catalogue's Chinese name for an English word)."""

    options: tuple[TermIds, ...] = ()


@dataclass
class TextMatch:
    """The token ids of a query's terms; ``impossible`` when a term matches no known token."""

    terms: list[TermChoice] = field(default_factory=list)
    impossible: bool = False


def _term_words(term: str) -> tuple[list[str], str | None]:
    """(exact words, prefix) for one analysed query word."""
    if is_cjk(term):
        run = normalise(term)
        if len(run) == 1:
            return [], run
        return [_cut(bigram) for bigram in cjk_bigrams(run)], None
    code = normalise_code(term)
    return [], (_cut(code) if code else None)


def _word_ids(words: list[str], prefix: str | None, known: list[tuple[str, int]]):
    """The word as TermIds, or None when no known token can hold it."""
    if prefix is not None:
        any_of = tuple(sorted(pk for text, pk in known if text.startswith(prefix)))
        return TermIds(any_of=any_of) if any_of else None
    by_text = dict(known)
    if any(word not in by_text for word in words):
        return None
    return TermIds(all_of=tuple(dict.fromkeys(by_text[w] for w in words)))


def match_for(terms: Iterable[str | Sequence[str]], token_model) -> TextMatch:
    """Resolve analysed query terms to token ids with one query on the vocabulary.

    Each term is a word or a sequence of words that may stand for it (``TextPlan.choices``);
    a word no token can hold is dropped from its term, a term left without words makes the
    match impossible."""
    planned = []
    for term in terms:
        words = [term] if isinstance(term, str) else list(term)
        options = [_term_words(word) for word in words]
        options = [(exact, prefix) for exact, prefix in options if exact or prefix]
        if options:
            planned.append(options)
    if not planned:
        return TextMatch()
    exact = {word for options in planned for words, _prefix in options for word in words}
    prefixes = {prefix for options in planned for _words, prefix in options if prefix}
    condition = Q(text__in=exact) if exact else Q()
    for prefix in sorted(prefixes):
        condition |= Q(text__startswith=prefix)
    known = list(token_model.objects.filter(condition).values_list("text", "pk"))
    match = TextMatch()
    for options in planned:
        found = [_word_ids(words, prefix, known) for words, prefix in options]
        found = list(dict.fromkeys(ids for ids in found if ids is not None))
        if not found:
            return TextMatch(impossible=True)
        match.terms.append(TermChoice(options=tuple(found)))
    return match
