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
