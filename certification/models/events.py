"""The certification audit trail: one row per change of a request, report or certificate."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from certification.models.inspections import InspectionReport, InspectionRequest
from certification.models.reman import RemanCertificate

# --- audit ----------------------------------------------------------------------------------


class CertificationEvent(models.Model):
    """Audit row for every state change of a request, report or certificate."""

    request = models.ForeignKey(
        InspectionRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    report = models.ForeignKey(
        InspectionReport, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    certificate = models.ForeignKey(
        RemanCertificate, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"
