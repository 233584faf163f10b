"""Background tasks of the platform (django-tasks). Thin: the work is in ``mail``."""

from django_tasks import task


@task()
def deliver_mail(mail_id):
    """Hand one recorded mail to the mail server (``mail.deliver``)."""
    from .mail import deliver

    deliver(mail_id=mail_id)


@task()
def deliver_mails(mail_ids):
    """Hand several recorded mails to the mail server, one after the other (``mail.send_many``)."""
    from .mail import deliver

    for mail_id in mail_ids:
        deliver(mail_id=mail_id)


@task()
def retry_failed_mail():
    """The scheduler's job: try again the mails that failed or whose worker was lost (``mail.retry_failed``)."""
    from .mail import retry_failed

    return retry_failed()


@task()
def worker_heartbeat():
    """Enqueued every minute by the scheduler's heartbeat job; its run records the worker's beat."""
    from .heartbeat import record

    record(name="worker")


@task()
def prune_task_results():
    """The scheduler's nightly job: forget finished task results older than 14 days (the queue
    table would otherwise grow by every mail, export and heartbeat). A no-op on a queue that is
    not the database's."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        call_command("prune_db_task_results", min_age_days=14, verbosity=0)
