"""What the councils app does when a workflow event is reported (``tdkt.events``); connected in ``CouncilsConfig.ready()``.

Notifications (issue 13): a meeting called, a vote opened. The text names the meeting or the item, never a vote cast
or a count (a secret ballot stays secret: nothing here reads a ballot box or a participation)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.enums import NotificationKind
from tdkt.events import transition_committed
from tdkt.notifications import notify

from .enums import ItemState, MeetingState
from .models import AgendaItem, CouncilMember, Meeting


def seated_users(meeting, *, voting_only=False):
    """The accounts of the members on the meeting's roll (the voting ones only, with ``voting_only``)."""
    members = CouncilMember.objects.filter(attendances__meeting=meeting, active=True).select_related("user")
    if voting_only:
        members = members.filter(votes=True)
    return [member.user for member in members]


def meeting_when(meeting):
    if meeting.is_sitting:
        return _("%(time)s ngày %(date)s tại %(place)s") % {
            "time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "", "date": meeting.date.strftime("%d/%m/%Y"),
            "place": meeting.place}
    return _("lấy ý kiến bằng văn bản, hạn trả lời %(deadline)s") % {
        "deadline": timezone.localtime(meeting.deadline).strftime("%H:%M %d/%m/%Y")}


@receiver(transition_committed, dispatch_uid="councils.notify_meeting_scheduled")
def notify_meeting_scheduled(sender, *, workflow, instance, to_state, **kwargs):
    """Triệu tập: every member on the roll is told when and where."""
    if workflow != "councils.meeting" or to_state != MeetingState.SCHEDULED:
        return
    if not Meeting.objects.filter(pk=instance.pk, state__in=MeetingState.upcoming()).exists():
        return  # already over or cancelled by the time the event is delivered (e.g. a whole past meeting entered at once)
    text = _("Triệu tập phiên họp Hội đồng “%(meeting)s”: %(when)s.") % {"meeting": instance, "when": meeting_when(instance)}
    notify(recipients=seated_users(instance), kind=NotificationKind.MEETING_SCHEDULED, text=text,
           link=reverse("councils:meeting_detail", args=[instance.pk]), key=f"meeting-called:{instance.pk}")


@receiver(transition_committed, dispatch_uid="councils.notify_vote_opened")
def notify_vote_opened(sender, *, workflow, instance, to_state, **kwargs):
    """A vote opened: the voting members on the roll. A written consultation opens every item at once: one notification
    for the consultation (its key), not one per item."""
    if workflow != "councils.agenda_item" or to_state != ItemState.VOTING:
        return
    if not AgendaItem.objects.filter(pk=instance.pk, state=ItemState.VOTING).exists():
        return  # the vote closed before the event was delivered: nothing to answer any more
    meeting = instance.meeting
    if meeting.is_written:
        text = _("Đã mở lấy ý kiến bằng văn bản “%(meeting)s”: hãy biểu quyết trước %(deadline)s.") % {
            "meeting": meeting, "deadline": timezone.localtime(meeting.deadline).strftime("%H:%M %d/%m/%Y")}
        notify(recipients=seated_users(meeting, voting_only=True), kind=NotificationKind.VOTE_OPENED, text=text,
               link=reverse("councils:meeting_detail", args=[meeting.pk]), key=f"consultation-open:{meeting.pk}")
        return
    text = _("Mở biểu quyết tại phiên họp “%(meeting)s”: %(item)s.") % {"meeting": meeting, "item": instance}
    notify(recipients=seated_users(meeting, voting_only=True), kind=NotificationKind.VOTE_OPENED, text=text,
           link=reverse("councils:item_detail", args=[instance.pk]))
