"""Background jobs of the certification app."""

from django_tasks import task

from certification.services.hours import machines_hours_anomaly_recompute


@task()
def hours_anomaly_recompute_task() -> int:
    """Recompute every machine's hours-anomaly flag (readings also arrive through services
    of other apps, which do not refresh the flag). Returns the number of flagged machines."""
    _checked, flagged = machines_hours_anomaly_recompute()
    return flagged
