"""“Lấy ý kiến bằng văn bản” closing soon (issue 13): within a day of the deadline each voting member on the roll is
told once (the key ``consultation-closing:<meeting>``). The text names the consultation and its deadline, nothing about
who has answered or how."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.enums import NotificationKind
from tdkt.notifications import notify

from .enums import MeetingKind, MeetingState
from .models import Meeting
from .subscribers import seated_users

CLOSING_WITHIN = datetime.timedelta(days=1)


def consultations_closing(*, now):
    written = 0
    meetings = Meeting.objects.filter(kind=MeetingKind.WRITTEN, state=MeetingState.IN_PROGRESS, deadline__gt=now,
                                      deadline__lte=now + CLOSING_WITHIN)
    for meeting in meetings.order_by("deadline", "pk"):
        text = _("Lấy ý kiến bằng văn bản “%(meeting)s” kết thúc lúc %(deadline)s: nếu chưa biểu quyết, hãy biểu quyết trước "
                 "thời điểm này.") % {"meeting": meeting, "deadline": timezone.localtime(meeting.deadline).strftime("%H:%M %d/%m/%Y")}
        written += len(notify(recipients=seated_users(meeting, voting_only=True), kind=NotificationKind.CONSULTATION_CLOSING,
                              text=text, link=reverse("councils:meeting_detail", args=[meeting.pk]),
                              key=f"consultation-closing:{meeting.pk}"))
    return written
