"""Background work of the trading app, run by the task worker (no web traffic needed)."""

from django_tasks import task

from trading.services.auctions import lot_close, lots_close_due
from trading.services.offers import offers_expire_due
from trading.services.orders import orders_abandon_due, orders_default_overdue, orders_remind_due


@task()
def lot_close_task(lot_id: int) -> str | None:
    """Enqueued with ``run_after=ends_at``; re-checks the end time and reschedules if extended."""
    return lot_close(lot_id=lot_id)


@task()
def trading_sweep_task() -> dict[str, int]:
    """Safety sweep: closes overdue lots, expires offers, reminds buyers of payment deadlines
    less than a day away, defaults unpaid orders, marks uncollected paid orders abandoned."""
    return {
        "lots_closed": lots_close_due(),
        "offers_expired": offers_expire_due(),
        "payment_reminders": orders_remind_due(),
        "orders_defaulted": orders_default_overdue(),
        "orders_abandoned": orders_abandon_due(),
    }
