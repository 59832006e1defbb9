"""Writes for a cluster's acclamations (suy tôn): the proposals the nominations app turns into nominations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.audit import audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_office
from tdkt.text import nfc_multiline

from ..enums import AcclamationState, ClusterState
from ..models import ClusterAcclamation
from ..selectors import cluster_ranking
from ..workflows import ACCLAMATION_WORKFLOW
from .clusters import lock_cluster
from .common import text as _text

ACCLAMATION_TITLE_CODES = ("CO_TINH",)
ACCLAMATION_FORM_CODES = ("BK_TINH",)
ACCLAMATION_FIELDS = ["unit", "year", "rank", "total_score", "meeting_date", "minutes_number", "title", "form", "note"]


@transaction.atomic
def acclamation_record(*, actor, cluster, unit, meeting_date, title=None, form=None, minutes_number="", note=""):
    """Record the suy tôn of a leading unit; the row is the proposal the nominations app picks up."""
    require_office(actor, _("Chỉ Văn phòng Sở được ghi nhận kết quả suy tôn."))
    cluster = lock_cluster(cluster)
    if cluster.state != ClusterState.CONCLUDED:
        raise ValidationError(_("Hãy kết thúc chấm điểm của cụm trước khi ghi nhận kết quả suy tôn."))
    if not cluster.memberships.filter(unit=unit).exists():
        raise ValidationError({"unit": _("%(unit)s không phải thành viên của cụm.") % {"unit": unit}})
    if bool(title) == bool(form):
        raise ValidationError({"award": _("Chọn đúng một danh hiệu hoặc một hình thức khen thưởng.")})
    if title is not None and title.code not in ACCLAMATION_TITLE_CODES:
        raise ValidationError({"award": _("Suy tôn chỉ đề nghị Cờ thi đua hoặc Bằng khen, không phải “%(t)s”.") % {"t": title}})
    if form is not None and form.code not in ACCLAMATION_FORM_CODES:
        raise ValidationError({"award": _("Suy tôn chỉ đề nghị Cờ thi đua hoặc Bằng khen, không phải “%(t)s”.") % {"t": form}})
    if meeting_date is None or meeting_date.year < cluster.year:
        raise ValidationError({"meeting_date": _("Ngày họp suy tôn phải thuộc năm %(year)s trở về sau.") % {"year": cluster.year}})
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("Ngày họp suy tôn không được ở tương lai.")})
    ranking = {row.unit.pk: row for row in cluster_ranking(cluster)}
    row = ranking.get(unit.pk)
    acclamation = ClusterAcclamation(
        cluster=cluster, unit=unit, year=cluster.year, meeting_date=meeting_date, title=title, form=form,
        minutes_number=_text(minutes_number), note=nfc_multiline(note or ""),
        rank=row.rank if row else None, total_score=row.final_total if row else None)
    acclamation.full_clean()
    acclamation.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=acclamation, to_state=acclamation.state,
                 changes=diff({}, snapshot(acclamation, ACCLAMATION_FIELDS)))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={_("suy tôn"): [None, str(acclamation)]})
    return acclamation


def acclamation_transition(*, acclamation, actor, to_state, reason=""):
    """Đề xuất → đã đưa vào đề nghị (by the nominations app) or → huỷ (with a reason)."""
    return ACCLAMATION_WORKFLOW.apply(acclamation, actor=actor, to=to_state, reason=reason)


def acclamation_withdraw(*, acclamation, actor, reason):
    return acclamation_transition(acclamation=acclamation, actor=actor, to_state=AcclamationState.WITHDRAWN, reason=reason)


def acclamation_mark_nominated(*, acclamation, actor, reason=""):
    """For the nominations app: the proposal has been turned into a nomination."""
    return acclamation_transition(acclamation=acclamation, actor=actor, to_state=AcclamationState.NOMINATED, reason=reason)
