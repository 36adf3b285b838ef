"""The catalogue, the machine's lifecycle record, listings and completed sales.

`Machine` carries a few denormalised flags (grade, inspected, remanufactured, encumbered,
scrapped, hours anomaly) that the certification and leasing services write in the same
transaction as their own records, so search and valuation read them without joins.
"""

from marketplace.models.catalogue import (
    BilingualNameMixin,
    Brand,
    Category,
    EquipmentModel,
    SizeUnit,
)
from marketplace.models.listing_content import (
    ListingPriceChange,
    ListingQuestion,
    ListingQuestionQuerySet,
    QuestionStatus,
)
from marketplace.models.listings import (
    LIVE_STATUSES,
    REQUIRED_PHOTO_KINDS,
    Listing,
    ListingEvent,
    ListingPhoto,
    ListingQuerySet,
    ListingStatus,
    OwnershipTransfer,
    PhotoKind,
    SaleFormat,
)
from marketplace.models.machines import (
    AccidentHistory,
    ConditionGrade,
    EmissionStage,
    HourMeterReading,
    HourMeterReadingQuerySet,
    HourReadingSource,
    Machine,
    MachineQuerySet,
    MaintenanceKind,
    MaintenanceRecord,
)
from marketplace.models.sales import (
    SaleChannel,
    SaleRecord,
    SaleSource,
)

__all__ = [
    "LIVE_STATUSES",
    "REQUIRED_PHOTO_KINDS",
    "AccidentHistory",
    "BilingualNameMixin",
    "Brand",
    "Category",
    "ConditionGrade",
    "EmissionStage",
    "EquipmentModel",
    "HourMeterReading",
    "HourMeterReadingQuerySet",
    "HourReadingSource",
    "Listing",
    "ListingEvent",
    "ListingPhoto",
    "ListingPriceChange",
    "ListingQuerySet",
    "ListingQuestion",
    "ListingQuestionQuerySet",
    "ListingStatus",
    "Machine",
    "MachineQuerySet",
    "MaintenanceKind",
    "MaintenanceRecord",
    "OwnershipTransfer",
    "PhotoKind",
    "QuestionStatus",
    "SaleChannel",
    "SaleFormat",
    "SaleRecord",
    "SaleSource",
    "SizeUnit",
]
