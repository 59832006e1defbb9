"""R9: nothing new after the round's deadline (ad hoc rounds excepted; returned dossiers may be sent again)."""

from django.utils.translation import gettext as _

from ..enums import AwardType, NominationState
from .registry import STAGE_ENTRY, STAGE_SUBMIT, fmt_date, register, violation


@register("R9", stages=(STAGE_ENTRY, STAGE_SUBMIT))
def deadline(rule, batch, idx):
    """Không nhận hồ sơ sau hạn nộp của đợt, trừ các loại đợt ``exempt_kinds`` (đột xuất). Hồ sơ bị
    trả lại được sửa và gửi lại sau hạn."""
    exempt = rule.parameters.get("exempt_kinds", [AwardType.AD_HOC])
    out = []
    for i in idx:
        n = batch.items[i]
        if n.round.kind in exempt or not n.round.deadline or n.state == NominationState.RETURNED:
            continue
        if batch.today > n.round.deadline:
            out.append((i, violation(rule, _("đợt “%(round)s” đã hết hạn nộp hồ sơ ngày %(date)s")
                                      % {"round": n.round, "date": fmt_date(n.round.deadline)})))
    return out

