from django_tasks import task

from marketplace.services import listings_expire_due


@task()
def listings_expire_due_task() -> int:
    return listings_expire_due()
