"""The search synonyms and stop words, one data file each, read by both backends.

``search/data/synonyms.txt`` is in the Solr/Elasticsearch synonym format: ``a, b => c``
(explicit mapping: a query word on the left also means the words on the right) and
``a, b, c`` (equivalence). Elasticsearch receives the lines as they are, in the
``synonym_graph`` filter of its search analyzer; the database backend expands each query term
to itself plus its synonyms (``expand``). ``search/data/stopwords.txt`` lists words the search
box ignores ("二手": every machine here is used).
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from search.text import normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
SYNONYMS_FILE = DATA_DIR / "synonyms.txt"
STOPWORDS_FILE = DATA_DIR / "stopwords.txt"


@dataclass(frozen=True)
class Synonyms:
    rules: tuple[str, ...] = ()  # the file's lines, comments and blanks left out
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()

    def expand(self, term: str) -> tuple[str, ...]:
        """What ``term`` also means (never the term itself), in file order."""
        return self.expansions.get(normalise(term), ())

    @property
    def words(self) -> set[str]:
        """Every word of the files, for splitting Chinese runs into words."""
        found = set(self.stopwords)
        for word, others in self.expansions.items():
            found.add(word)
            found.update(others)
        return found


def _lines(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _words(text: str) -> list[str]:
    return [normalise(word) for word in text.split(",") if normalise(word)]


def parse(rules: list[str], stopwords: list[str]) -> Synonyms:
    """Rules in the Solr format; raises ValueError on a line it cannot read."""
    expansions: dict[str, list[str]] = {}

    def add(word: str, others: list[str]) -> None:
        targets = expansions.setdefault(word, [])
        targets.extend(other for other in others if other != word and other not in targets)

    for rule in rules:
        left, arrow, right = rule.partition("=>")
        sources = _words(left)
        if arrow:
            targets = _words(right)
            if not sources or not targets:
                raise ValueError(f"synonym rule without words on both sides: {rule!r}")
            for word in sources:
                add(word, targets)
        else:
            if len(sources) < 2:
                raise ValueError(f"synonym rule with fewer than two words: {rule!r}")
            for word in sources:
                add(word, sources)
    return Synonyms(
        rules=tuple(rules),
        expansions={word: tuple(others) for word, others in expansions.items() if others},
        stopwords=frozenset(normalise(word) for word in stopwords if normalise(word)),
    )


@cache
def load() -> Synonyms:
    return parse(_lines(SYNONYMS_FILE), _lines(STOPWORDS_FILE))
