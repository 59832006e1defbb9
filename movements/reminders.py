"""Deadline reminders of the yearly registration (issue 13): the units whose registration is not sent (none yet, a
draft, or returned) get one reminder per threshold (7 days, 1 day) before the window's close date (the key
``registration:<year>:<unit>:<threshold>``)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.enums import NotificationKind
from tdkt.notifications import notify, reminder_threshold
from tdkt.roles import unit_heads

from .enums import RegistrationState
from .models import Registration, RegistrationWindow, Unit


def registration_reminders(*, now):
    today = timezone.localdate(now)
    written = 0
    windows = RegistrationWindow.objects.filter(opens_on__lte=today, closes_on__gte=today,
                                                closes_on__lte=today + datetime.timedelta(days=7))
    for window in windows.order_by("closes_on"):
        days_left = (window.closes_on - today).days
        threshold = reminder_threshold(days_left)
        if threshold is None:
            continue
        done = set(Registration.objects.filter(window=window, state__in=[RegistrationState.SUBMITTED, RegistrationState.APPROVED])
                   .values_list("unit_id", flat=True))
        heads = {}
        for user in unit_heads(Unit.objects.filter(active=True).exclude(pk__in=done).values_list("pk", flat=True)):
            heads.setdefault(user.unit_id, []).append(user)
        when = _("hôm nay") if days_left == 0 else _("còn %(n)d ngày") % {"n": days_left}
        text = _("Hạn gửi phiếu đăng ký thi đua năm %(year)s là %(deadline)s (%(when)s): phiếu của đơn vị chưa được gửi.") % {
            "year": window.year, "deadline": window.closes_on.strftime("%d/%m/%Y"), "when": when}
        for unit_id, users in sorted(heads.items()):
            written += len(notify(recipients=users, kind=NotificationKind.DEADLINE, text=text,
                                  link=reverse("movements:registration_window", args=[window.year]),
                                  key=f"registration:{window.year}:{unit_id}:{threshold}"))
    return written
