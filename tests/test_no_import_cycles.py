"""No two apps import each other, counting imports inside functions.

import-linter (.importlinter, run by scripts/run_tests.sh) enforces the layers; this test
builds the same graph with grimp, which reads every ``import`` statement of every module
(at module level, inside functions and under ``if``), and looks for cycles between apps.
Test modules are left out: a test may set up any app's data. Imports by dotted string
(``import_string``, ``importlib``) are invisible to both; the settings registries that use
them (LISTING_PANELS, DASHBOARD_SECTIONS, VERIFIABLE_DOCUMENTS, …) point only upwards from
core and the marketplace by design.
"""

from pathlib import Path

import grimp
from django.conf import settings

# App-level cycles tolerated while they are being removed, as sets of apps (none left after
# issue #13). Any cycle not listed fails the test.
KNOWN_CYCLES: list[frozenset[str]] = []


def project_packages() -> list[str]:
    base = Path(settings.BASE_DIR)
    return sorted(
        path.parent.name
        for path in base.glob("*/__init__.py")
        if path.parent.name not in {"tests", "docs", "scripts"}
    )


def is_test_module(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest"


def app_dependencies(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """App -> the other apps its non-test modules import."""
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if is_test_module(module):
            continue
        app = module.split(".")[0]
        edges.setdefault(app, set())
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")[0]
            if other != app and not is_test_module(imported):
                edges[app].add(other)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one app (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_direct_and_longer_cycles():
    edges = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}, "e": {"a"}, "f": set()}
    assert sorted(map(sorted, cycles(edges))) == [["a", "b"], ["c", "d"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [frozenset({"a", "b", "c"})]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_app_level_import_cycles():
    graph = grimp.build_graph(*project_packages(), include_external_packages=False)
    # Imports inside functions count: this one is only in a method body.
    assert "marketplace.models" in graph.find_modules_directly_imported_by(
        "benchmarks.management.commands.valuation_benchmark"
    )
    unexpected = [group for group in cycles(app_dependencies(graph)) if group not in KNOWN_CYCLES]
    assert unexpected == []
