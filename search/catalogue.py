"""Per-process cache of the small reference tables search reads on every query.

Categories, brands and models change rarely; reading them on every query cost more than the
search itself. The cache is cleared when one of them is saved or deleted in this process and
expires after ``TTL_SECONDS`` (changes made by another process or by bulk writes).
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save

TTL_SECONDS = 300
_lock = threading.Lock()
_cache: dict[str, tuple[float, Any]] = {}


def cached(key: str, build: Callable[[], Any]) -> Any:
    now = time.monotonic()
    entry = _cache.get(key)
    if entry is not None and now - entry[0] < TTL_SECONDS:
        return entry[1]
    value = build()
    with _lock:
        _cache[key] = (now, value)
    return value


def clear(**kwargs: object) -> None:
    with _lock:
        _cache.clear()


for _sender in ("marketplace.Category", "marketplace.Brand", "marketplace.EquipmentModel"):
    post_save.connect(clear, sender=_sender, dispatch_uid=f"search-catalogue-save-{_sender}")
    post_delete.connect(clear, sender=_sender, dispatch_uid=f"search-catalogue-delete-{_sender}")
