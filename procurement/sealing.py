"""The canonical JSON of a quote and its SHA-256 (Django-free).

The hash is stored at submission and listed in the opening record, so a supplier can check
that the quote opened is byte for byte the one it sent: recompute the hash from its own copy.
"""

import hashlib
import json
from decimal import Decimal


def canonical_quote_json(
    *, rfq_id: int, supplier_id: int, version: int, submitted_at: str, lines: list[dict]
) -> str:
    """Keys sorted, no spaces, Decimals as fixed-point strings, lines ordered by rfq_line."""

    def plain(value):
        return format(value, "f") if isinstance(value, Decimal) else value

    body = {
        "rfq": rfq_id,
        "supplier": supplier_id,
        "version": version,
        "submitted_at": submitted_at,
        "lines": sorted(
            ({key: plain(value) for key, value in line.items()} for line in lines),
            key=lambda line: line["rfq_line"],
        ),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
