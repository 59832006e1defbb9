"""Notifications (issue 13): the inbox of each user and the e-mail that goes with it.

Who writes them: the subscribers of the workflow events (``<app>/subscribers.py``, on :mod:`tdkt.events`) and the
reminder jobs (``<app>/periodic.py``), through :func:`notify` only. The subscribers choose the recipients with the role
functions of :mod:`tdkt.roles` (a unit's heads, the seats of a meeting) and write the text themselves: a text names
only what its recipient may read (their own unit's file; never how anyone voted).

**Idempotent reminders.** A ``key`` (e.g. ``deadline:<round>:<unit>:7``) is unique per recipient (a database
constraint): a job that runs twice, or two workers, write one row per recipient and key, and the e-mail goes only with
the row that was written.

**E-mail.** One message per new row, in Vietnamese, with the absolute link (``TDKT_BASE_URL`` + the link), unless the
recipient turned e-mail off for that kind (:class:`tdkt.models.NotificationPreference`) or has no address. It is sent
through the mailer of ``EMAIL_URL`` (the console in development, the locmem outbox in tests); a failure is logged and
never undoes the event.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import NotificationKind
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


def absolute_url(link):
    """``link`` (a path) on the site's base address (``TDKT_BASE_URL``)."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.TDKT_BASE_URL.rstrip("/") + link


def _email_body(user, notification):
    lines = [_("Kính gửi %(name)s,") % {"name": user.display_name}, "", notification.text]
    if notification.link:
        lines += ["", _("Xem chi tiết: %(url)s") % {"url": absolute_url(notification.link)}]
    lines += ["", "—", _("Hệ thống quản lý thi đua – khen thưởng (thư tự động, xin đừng trả lời)."),
              _("Bật, tắt thư điện tử theo loại thông báo: %(url)s") % {"url": absolute_url("/thong-bao/tuy-chon/")}]
    return "\n".join(lines)


def _send_emails(rows):
    if not rows:
        return
    users = {row.recipient_id: row.recipient for row in rows}
    off = set(NotificationPreference.objects.filter(user_id__in=users, email=False).values_list("user_id", "kind"))
    messages = []
    for row in rows:
        user = row.recipient
        if not user.email or (user.pk, row.kind) in off:
            continue
        subject = "[TĐKT] " + str(NotificationKind(row.kind).label)
        messages.append(EmailMessage(subject, _email_body(user, row), settings.DEFAULT_FROM_EMAIL, [user.email]))
    if not messages:
        return
    try:
        mailers.default.send_messages(messages)
    except Exception:  # the inbox has the message; a mail server's failure must not undo the event
        logger.exception("sending %d notification e-mails failed", len(messages))


def notify(*, recipients, kind, text, link="", key=""):
    """Write one notification of ``kind`` to each of ``recipients`` (users; each once) and e-mail it. With a ``key``,
    a recipient who already has one with that key gets nothing (idempotent). Returns the rows written."""
    kind = NotificationKind(kind)
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return []
    with transaction.atomic():
        if key:
            known = set(Notification.objects.filter(key=key, recipient_id__in=users).values_list("recipient_id", flat=True))
            users = {pk: user for pk, user in users.items() if pk not in known}
        rows = [Notification(recipient=user, kind=kind, text=text[:4000], link=link[:500], key=key[:120])
                for user in users.values()]
        if key:  # a concurrent run may have written the same key: the constraint keeps one, the other is skipped
            created = []
            for row in rows:
                try:
                    with transaction.atomic():
                        row.save()
                except IntegrityError:
                    continue
                created.append(row)
            rows = created
        else:
            Notification.objects.bulk_create(rows)
    # The callers run after a commit (event subscribers) or on their own (periodic jobs): the rows are stored now, and the
    # e-mail follows at once (no on_commit of its own, which would queue a callback inside the event's delivery).
    _send_emails(rows)
    return rows


# ---------------------------------------------------------------- reads

def notifications_for(user):
    """The inbox of ``user``, newest first (nobody reads another's)."""
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user):
    """The number in the header: one indexed count."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def email_preferences(user):
    """``[(kind, label, email_on)]`` for every kind."""
    off = set(NotificationPreference.objects.filter(user_id=user.pk, email=False).values_list("kind", flat=True))
    return [(value, label, value not in off) for value, label in NotificationKind.choices]


# ---------------------------------------------------------------- writes of the inbox's owner

def notification_mark_read(*, actor, notification):
    """Mark one of ``actor``'s notifications read (someone else's is refused)."""
    if notification.recipient_id != actor.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, actor):
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_save(*, actor, email_kinds):
    """E-mail on for the kinds in ``email_kinds``, off for the others (one row per kind turned off)."""
    email_kinds = set(email_kinds)
    NotificationPreference.objects.filter(user=actor).delete()
    NotificationPreference.objects.bulk_create([NotificationPreference(user=actor, kind=value, email=False)
                                                for value in NotificationKind.values if value not in email_kinds])


# ---------------------------------------------------------------- reminders

#: Days before a deadline at which a reminder is due, largest first: "in 7 days" and "in 1 day".
REMINDER_THRESHOLDS = (7, 1)


def reminder_threshold(days_left):
    """The reminder due ``days_left`` days before a deadline: 7 from seven days to two, 1 on the eve and the day itself,
    ``None`` otherwise. A job that runs late (the worker was down) still sends the reminder of the window it is in, and
    only that one; with the reminder's key a threshold is sent once."""
    if days_left is None or days_left < 0:
        return None
    due = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return due[-1] if due else None
