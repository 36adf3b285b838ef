from django_tasks import task

from notifications.models import Notification
from notifications.services import notification_deliver_email


@task()
def notification_send_email(notification_id: int) -> bool:
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return False
    return notification_deliver_email(notification=notification)
