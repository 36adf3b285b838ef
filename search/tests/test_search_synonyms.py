"""Colloquial and English words find machines, on both backends (search_data.BACKENDS):
the synonyms file (search/data/synonyms.txt), its stop words, and the catalogue's English
category and city names."""

import pytest

from search import synonyms
from search.tests.search_data import ids_of, run

EXCAVATORS = ["L1", "L2", "L3", "L4"]
LOADERS = ["L5", "L6"]
CRANES = ["L7"]
IN_CHANGSHA = ["L1", "L5", "L7"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("挖机", EXCAVATORS),
        ("钩机", EXCAVATORS),
        ("挖土机", EXCAVATORS),
        ("铲车", LOADERS),
        ("吊车", CRANES),
        ("三一挖机", ["L1", "L2"]),
        ("挖机 长沙", ["L1"]),
        ("柳工铲车", ["L6"]),
        # "二手" is a stop word: it narrows nothing (L2's title says 二手, the others do not).
        ("二手", ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]),
        ("二手 挖掘机", EXCAVATORS),
        ("二手挖机", EXCAVATORS),
        ("二手铲车长沙", ["L5"]),
        ("used excavator", EXCAVATORS),
    ],
)
def test_colloquial_words_and_stop_words(indexed, text, expected):
    result = run(q=text, sort="newest")
    assert result.listing_ids == ids_of(indexed, *expected)
    assert result.total == len(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("excavator", EXCAVATORS),
        ("Excavators", EXCAVATORS),
        ("loader", LOADERS),
        ("crane", CRANES),
        ("cranes", CRANES),
        ("Changsha", IN_CHANGSHA),
        ("changsha loader", ["L5"]),
        ("SANY crane", CRANES),
        ("Xiangtan", ["L2"]),
        ("excavator Zhuzhou", ["L3"]),
    ],
)
def test_english_words_map_to_categories_and_cities(indexed, text, expected):
    result = run(q=text, sort="newest")
    assert result.listing_ids == ids_of(indexed, *expected)
    assert result.total == len(expected)


@pytest.mark.parametrize(
    "placeholder",
    ["例如：三一 挖掘机 20吨 长沙", "e.g. SANY excavator 20 t Changsha"],
)
def test_the_search_box_placeholder_finds_its_machine(indexed, placeholder):
    """The example in the search box (Chinese and its English translation) is a real query."""
    assert run(q=placeholder).listing_ids == ids_of(indexed, "L1")


def test_colloquial_word_is_highlighted_as_the_catalogue_word(indexed):
    result = run(q="挖机", sort="newest")
    first = result.hits[0]
    assert first.listing_id == indexed["listings"]["L1"].pk
    assert "<em>" in first.highlights["title"][0]


def test_synonym_file_is_read_in_the_solr_format():
    table = synonyms.parse(["挖机, 钩机 => 挖掘机", "dozer, bulldozer"], ["二手"])
    assert table.expand("挖机") == ("挖掘机",)
    assert table.expand("钩机") == ("挖掘机",)
    assert table.expand("挖掘机") == ()
    assert table.expand("Bulldozer") == ("dozer",)
    assert table.expand("dozer") == ("bulldozer",)
    assert table.stopwords == frozenset({"二手"})
    assert table.rules == ("挖机, 钩机 => 挖掘机", "dozer, bulldozer")


@pytest.mark.parametrize("rule", ["=> 挖掘机", "挖机 =>", "挖机"])
def test_unreadable_synonym_rule_is_refused(rule):
    with pytest.raises(ValueError, match="synonym rule"):
        synonyms.parse([rule], [])


def test_the_shipped_files_hold_the_documented_words():
    table = synonyms.load()
    assert {word: table.expand(word) for word in ("挖机", "钩机", "铲车", "吊车")} == {
        "挖机": ("挖掘机",),
        "钩机": ("挖掘机",),
        "铲车": ("装载机",),
        "吊车": ("起重机",),
    }
    assert "二手" in table.stopwords
