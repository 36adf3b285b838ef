"""The category tree's one closure rule: a category and every category below it.

Browse filters, the search query language and lease-product eligibility all mean "this
category and its descendants". The tree is small (tens of rows), so it is read in one query
as a child map and walked in memory; :func:`category_closure` is pure, so a caller that
already holds the rows (search's cached tree) can use it without a query.
"""

from collections.abc import Iterable

from marketplace.models import Category

ChildMap = dict[int | None, list[int]]


def category_child_map(rows: Iterable[tuple[int, int | None]]) -> ChildMap:
    """``parent id -> [child ids]`` from ``(id, parent id)`` pairs, children in row order."""
    children: ChildMap = {}
    for pk, parent_id in rows:
        children.setdefault(parent_id, []).append(pk)
    return children


def category_children() -> ChildMap:
    """The whole tree as a child map (one query)."""
    return category_child_map(Category.objects.order_by("pk").values_list("pk", "parent_id"))


def category_closure(roots: Iterable[int], children: ChildMap) -> list[int]:
    """The given categories and all their descendants, each once: the roots first, then level
    by level (breadth first). A cycle in bad data cannot loop: a node is visited once."""
    found: list[int] = []
    seen: set[int] = set()
    frontier = list(roots)
    while frontier:
        level = [node for node in dict.fromkeys(frontier) if node not in seen]
        found.extend(level)
        seen.update(level)
        frontier = [child for node in level for child in children.get(node, [])]
    return found


def category_descendant_ids(category: Category | int) -> list[int]:
    """The category (or category id) and every node below it, one query."""
    root = category if isinstance(category, int) else category.pk
    return category_closure([root], category_children())
