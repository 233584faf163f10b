"""The scheduler's job (docs/scheduler.md, docs/notifications.md). Thin: the work is in ``domain``."""

from django_tasks import task


@task()
def send_reminders():
    """Send the reminders due today (``domain.send_due_reminders``). Returns how many mails."""
    from . import domain

    return domain.send_due_reminders()
