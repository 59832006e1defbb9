"""Issuing a meeting's minutes: the secretary (or the office) takes the number in the council's own series once the
meeting is closed; the vote-count minutes of the secret ballots take the next number of the same series."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.audit import audit_changes
from tdkt.guards import require
from tdkt.numbering import MINUTES, number_next

from .. import rules as perms
from ..enums import MeetingState, VoteRoundState, VotingMethod
from ..models import MeetingMinutes, VoteRound
from ..workflows import stored
from .meetings import _locked_meeting


@transaction.atomic
def meeting_minutes_issue(*, actor, meeting):
    """Number the minutes of a closed meeting (once). Returns the :class:`MeetingMinutes`."""
    meeting = _locked_meeting(meeting)
    require(perms.issues_minutes, actor, meeting, _("Chỉ thư ký phiên họp hoặc Văn phòng Sở được ban hành biên bản."))
    if meeting.state != MeetingState.CLOSED:
        raise ValidationError(_("Phiên họp “%(meeting)s” chưa kết thúc: chưa ban hành biên bản được.") % {"meeting": meeting})
    if MeetingMinutes.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("Biên bản phiên họp “%(meeting)s” đã được ban hành.") % {"meeting": meeting})
    year = timezone.localdate().year
    code = meeting.council.doc_code
    _n, number = number_next(issuer_code=code, kind=MINUTES, year=year)
    tally = ""
    if VoteRound.objects.filter(item__meeting=meeting, state=VoteRoundState.CLOSED, method=VotingMethod.SECRET).exists():
        _n, tally = number_next(issuer_code=code, kind=MINUTES, year=year)
    minutes = MeetingMinutes(meeting=meeting, number=number, tally_number=tally, issued_at=timezone.now(),
                             issued_by=stored(actor))
    minutes.full_clean()
    minutes.save()
    audit_changes(actor=actor, obj=minutes, fields=["meeting", "number", "tally_number"])
    return minutes
