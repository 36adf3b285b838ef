"""Background work of procurement: deadlines close requests, publicity periods end."""

from django_tasks import task

from procurement.services import rfq_close_due, rfq_finalize_due


@task()
def procurement_sweep_task() -> dict[str, int]:
    return {"closed": rfq_close_due(), "finalized": rfq_finalize_due()}
