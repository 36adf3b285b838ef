"""Query-text analysis shared by both backends.

Chinese is written without spaces, so a query such as "三一挖掘机长沙" is first split on the
catalogue's own vocabulary (brand, category and city names, longest match first); what is left
is kept as free text. Model codes are compared without hyphens, spaces or dots, so PC200-8 and
PC2008 are the same code. A Latin word that is not a known word but is close to a brand name is
corrected to that brand (difflib; Elasticsearch adds its own fuzziness on top).
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{CJK}]+")
CODE_SEPARATORS = (" ", "-", "_", "/", ".", "·")  # dropped from model codes (and whitespace)
_CODE_STRIP = re.compile(r"[\s\-_/.·]+")
_TOKEN = re.compile(f"[{CJK}]+|[a-z0-9]+(?:[-_/.][a-z0-9]+)*")
_TONNAGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:吨|t\b|tons?\b|tonnes?\b)")
_LOW_HOURS = ("low hours", "低小时", "小时少", "少小时")
LOW_HOURS_LIMIT = 3000
TONNAGE_TOLERANCE = Decimal("0.15")


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, collapsed spaces."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def normalise_code(code: str) -> str:
    """Model codes without separators: "PC200-8" -> "pc2008"."""
    return _CODE_STRIP.sub("", normalise(code))


def cjk_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[index : index + 2] for index in range(len(run) - 1)]


def index_tokens(text: str) -> list[str]:
    """Tokens the database backend indexes on PostgreSQL (see ``search.tokens``).

    Latin words and codes as words (plus the code without separators); Chinese as character
    bigrams plus the last character of each run, so that any Chinese substring of two or more
    characters is the conjunction of its bigrams, and every single character is the first
    character of some token (a one-character query is a prefix match).
    """
    tokens: list[str] = []
    for token in _TOKEN.findall(normalise(text)):
        if _CJK_RUN.fullmatch(token):
            tokens.extend(cjk_bigrams(token) if len(token) > 1 else [])
            tokens.append(token[-1])
        else:
            tokens.extend(part for part in re.split(r"[-_/.]", token) if part)
            tokens.append(normalise_code(token))
    return tokens


@dataclass
class Vocabulary:
    """Catalogue words used to segment Chinese runs and to correct misspelt brands."""

    words: set[str] = field(default_factory=set)
    brand_names: dict[str, str] = field(default_factory=dict)  # lower-case Latin name -> name
    # English category and city words -> the catalogue's Chinese names ("crane" -> 起重机).
    english: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # search/data/synonyms.txt: word -> what it also means ("挖机" -> 挖掘机).
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()

    def longest_prefix(self, text: str) -> str:
        for end in range(min(len(text), 12), 1, -1):
            if text[:end] in self.words:
                return text[:end]
        return ""


def segment_cjk(run: str, vocabulary: Vocabulary) -> list[str]:
    """Split a Chinese run into known words; unknown stretches stay together."""
    pieces: list[str] = []
    unknown = ""
    index = 0
    while index < len(run):
        word = vocabulary.longest_prefix(run[index:])
        if word:
            if unknown:
                pieces.append(unknown)
                unknown = ""
            pieces.append(word)
            index += len(word)
        else:
            unknown += run[index]
            index += 1
    if unknown:
        pieces.append(unknown)
    return pieces


@dataclass(frozen=True)
class TextPlan:
    """What the free text asks for: terms that must all match, plus implied filters."""

    terms: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
    weight_min: Decimal | None = None
    weight_max: Decimal | None = None
    hours_max: int | None = None
    # Per term (same order as ``terms``): the catalogue's names for an English word ...
    alternatives: tuple[tuple[str, ...], ...] = ()
    # ... and the synonyms file's words for it. A term matches if any of these does.
    synonyms: tuple[tuple[str, ...], ...] = ()
    ignored: tuple[str, ...] = ()  # stop words dropped from the text

    @property
    def is_empty(self) -> bool:
        return not self.terms and self.weight_min is None and self.hours_max is None

    def choices(self, *, synonyms: bool = True) -> list[tuple[str, ...]]:
        """Each term with the words that may stand for it (the term first, each word once).

        The database backend asks with ``synonyms=True``; Elasticsearch applies the synonyms
        file in its own search analyzer and asks for the catalogue's alternatives only."""
        result = []
        for index, term in enumerate(self.terms):
            words = [term]
            if index < len(self.alternatives):
                words.extend(self.alternatives[index])
            if synonyms and index < len(self.synonyms):
                words.extend(self.synonyms[index])
            result.append(tuple(dict.fromkeys(words)))
        return result

    @property
    def all_words(self) -> tuple[str, ...]:
        """Every word a hit may hold for the terms (for highlighting)."""
        return tuple(dict.fromkeys(word for words in self.choices() for word in words))


def correct_brand(word: str, vocabulary: Vocabulary) -> str | None:
    if len(word) < 4 or word in vocabulary.brand_names or any(ch.isdigit() for ch in word):
        return None
    matches = difflib.get_close_matches(word, list(vocabulary.brand_names), n=1, cutoff=0.75)
    return matches[0] if matches else None


def analyse(text: str, vocabulary: Vocabulary) -> TextPlan:
    text = normalise(text)
    hours_max = None
    for phrase in _LOW_HOURS:
        if phrase in text:
            text = text.replace(phrase, " ")
            hours_max = LOW_HOURS_LIMIT
    weight_min = weight_max = None
    tonnage = _TONNAGE.search(text)
    if tonnage:
        tonnes = Decimal(tonnage.group(1))
        weight_min = (tonnes * (1 - TONNAGE_TOLERANCE)).quantize(Decimal("0.01"))
        weight_max = (tonnes * (1 + TONNAGE_TOLERANCE)).quantize(Decimal("0.01"))
        text = text[: tonnage.start()] + " " + text[tonnage.end() :]
    terms: list[str] = []
    corrections: list[tuple[str, str]] = []
    ignored: list[str] = []
    for token in _TOKEN.findall(text):
        if _CJK_RUN.fullmatch(token):
            pieces = segment_cjk(token, vocabulary)
        else:
            pieces = [token]
            if token not in vocabulary.english and token not in vocabulary.stopwords:
                corrected = correct_brand(token, vocabulary)
                if corrected:
                    corrections.append((token, corrected))
                    pieces = [corrected]
        for piece in pieces:
            (ignored if piece in vocabulary.stopwords else terms).append(piece)
    terms = list(dict.fromkeys(terms))
    return TextPlan(
        terms=tuple(terms),
        corrections=tuple(corrections),
        weight_min=weight_min,
        weight_max=weight_max,
        hours_max=hours_max,
        alternatives=tuple(vocabulary.english.get(term, ()) for term in terms),
        synonyms=tuple(vocabulary.synonyms.get(term, ()) for term in terms),
        ignored=tuple(dict.fromkeys(ignored)),
    )


def is_cjk(term: str) -> bool:
    return bool(_CJK_RUN.fullmatch(term))


def is_code_like(term: str) -> bool:
    return any(ch.isdigit() for ch in term) and any(ch.isalpha() for ch in term)


def highlight_title(title: str, terms: tuple[str, ...]) -> dict[str, list[str]]:
    """The title, HTML-escaped, with each matched term wrapped in <em> (as Elasticsearch does)."""
    from django.utils.html import escape

    if not title or not terms:
        return {}
    lowered = normalise(title)
    if len(lowered) != len(title):
        lowered = title.lower()
    marks = [False] * len(title)
    for term in terms:
        start = lowered.find(term)
        while term and start != -1:
            for index in range(start, min(start + len(term), len(title))):
                marks[index] = True
            start = lowered.find(term, start + len(term))
    if not any(marks):
        return {}
    html, open_tag = [], False
    for char, marked in zip(title, marks, strict=True):
        if marked != open_tag:
            html.append("<em>" if marked else "</em>")
            open_tag = marked
        html.append(escape(char))
    if open_tag:
        html.append("</em>")
    return {"title": ["".join(html)]}
