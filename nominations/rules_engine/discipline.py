"""R6: no nomination while a discipline, an investigation or a complaint holds on the reference date; after
a discipline, achievements count only from its end."""

import datetime

from django.utils.translation import gettext as _

from movements.api import DisciplineKind

from ..enums import AwardType
from .registry import STAGE_AUDIT, STAGE_ENTRY, STAGE_RESUBMIT, STAGE_SUBMIT, STAGE_VET, fmt_date, register, violation


@register("R6", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def hold(rule, batch, idx):
    """Không đề nghị khi đang bị xem xét kỷ luật, điều tra, thanh tra, có đơn thư đang xác minh hoặc
    đang chịu kỷ luật vào ngày xét; sau kỷ luật, chỉ tính thành tích từ khi hết thời hạn kỷ luật (không
    áp dụng cho đợt đột xuất)."""
    out = []
    discipline_kinds = DisciplineKind.disciplines()
    disciplines = batch.disciplines()
    for i in idx:
        f = batch.facts[i]
        records = disciplines.get(f.subject_key)
        if not records:
            continue
        n = batch.items[i]
        ref, year = f.ref, f.year
        for d in records:
            period = (_("từ %(start)s đến %(end)s") % {"start": fmt_date(d.start_date), "end": fmt_date(d.end_date)} if d.end_date
                      else _("từ %(start)s, chưa kết thúc") % {"start": fmt_date(d.start_date)})
            if d.covers(ref):
                out.append((i, violation(rule, _("%(subject)s đang trong thời gian “%(kind)s” (%(period)s) vào ngày xét %(ref)s: "
                                                  "không đề nghị khen thưởng")
                                          % {"subject": n.subject, "kind": d.get_kind_display(), "period": period, "ref": fmt_date(ref)})))
            elif (d.kind in discipline_kinds and n.round.kind != AwardType.AD_HOC and d.end_date
                  and d.end_date >= datetime.date(year, 1, 1) and d.start_date <= ref):
                out.append((i, violation(rule, _("%(subject)s bị “%(kind)s” (%(period)s): chỉ tính thành tích từ %(after)s, thành tích "
                                                  "năm %(year)s không đủ để đề nghị")
                                          % {"subject": n.subject, "kind": d.get_kind_display(), "period": period,
                                             "after": fmt_date(d.end_date + datetime.timedelta(days=1)), "year": year})))
    return out

