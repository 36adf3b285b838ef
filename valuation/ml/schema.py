"""The canonical sale-record shape shared by the importers, the features and the model.

The Django side stores sales in its own models and hands the ML core a pandas frame (or a
single dict) with exactly these keys, so the modelling code never depends on the ORM and
the Kaggle importer, the platform's own sales and online valuation all meet in one shape.
"""

from __future__ import annotations

from typing import Final

CANONICAL_COLUMNS: Final[tuple[str, ...]] = (
    "sold_at",
    "price",
    "category",
    "size_class",
    "brand",
    "model",
    "base_model",
    "year",
    "hours",
    "region",
    "city",
    "condition_grade",
    "is_remanufactured",
    "emission_stage",
    "sale_channel",
    "attributes",
)

# Keys of ``attributes`` that the model reads; any other key is stored but ignored.
# Missing keys become "unknown" (NaN). ``product_class`` also yields the numeric size range
# ("... - 21.0 to 24.0 Metric Tons" -> 21.0 / 24.0), which orders sizes across models.
ATTRIBUTE_KEYS: Final[tuple[str, ...]] = (
    "product_class",
    "secondary_desc",
    "model_series",
    "model_descriptor",
    "enclosure",
    "hydraulics",
    "hydraulics_flow",
    "drive_system",
    "transmission",
    "ride_control",
    "forks",
    "coupler",
    "coupler_system",
    "stick",
    "stick_length",
    "thumb",
    "pattern_changer",
    "track_type",
    "grouser_type",
    "grouser_tracks",
    "undercarriage_pad_width",
    "pad_type",
    "tire_size",
    "ripper",
    "blade_type",
    "blade_width",
    "blade_extension",
    "tip_control",
    "pushblock",
    "scarifier",
    "enclosure_type",
    "engine_hp",
    "turbocharged",
    "backhoe_mounting",
    "travel_controls",
    "differential_type",
    "steering_controls",
    "data_source",
    "auctioneer",
)

# Numeric evidence about the machine's history, read from ``attributes`` as numbers (blank =
# unknown): whether the hours at sale were verified (1) by an inspection, telematics or a
# service visit rather than only declared by the seller (0); how many service records the
# machine carries; and, once operation and maintenance records exist, the share of planned
# services done on time (0..1) and the hour-meter integrity score (0..1). Imported auction
# rows have none of them; the platform's own records fill them when they know.
EVIDENCE_KEYS: Final[tuple[str, ...]] = (
    "hours_verified",
    "service_records",
    "service_compliance",
    "hour_integrity",
)

SALE_CHANNELS: Final[tuple[str, ...]] = ("fixed", "offer", "auction", "external_auction")

# A is best (Komatsu certified-used scale); the model treats the grade as an ordered number.
CONDITION_GRADES: Final[tuple[str, ...]] = ("A", "B", "C", "D", "E")
