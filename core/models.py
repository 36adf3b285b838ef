"""Core's only table: the counters behind public document numbers (see core.documents)."""

from django.db import models


class DocumentCounter(models.Model):
    """Last number handed out per document prefix and year (locked with select_for_update).

    The table kept its name from when certification owned numbering, so existing counters
    go on where they stopped.
    """

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "certification_documentcounter"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="document_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"
