"""R5: one achievement, one award (no second nomination of the same subject and award in the year, nor of
what was already awarded; a person proposed by two units is a warning)."""

from django.utils.translation import gettext as _

from ..enums import AwardType, RuleSeverity
from .batch import of_subjects
from .registry import STAGE_AUDIT, STAGE_ENTRY, STAGE_RESUBMIT, STAGE_SUBMIT, STAGE_VET, register, violation


@register("R5", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def one_achievement(rule, batch, idx):
    """Một thành tích chỉ khen một lần: không đề nghị trùng đối tượng và danh hiệu/hình thức trong
    cùng năm (cùng loại đợt; đột xuất: cùng đợt), kể cả đã có quyết định. Một cá nhân được hai đơn vị
    đề nghị trong năm bị cảnh báo (``cross_unit_severity``)."""
    p = rule.parameters
    cross_severity = p.get("cross_unit_severity", RuleSeverity.WARNING)
    facts = batch.facts
    items = [(i, facts[i]) for i in idx]
    persons = {f.person_id for _i, f in items if f.person_id}
    units = {f.unit_id for _i, f in items if f.unit_id}
    years = {f.year for _i, f in items}

    def key(subject, award, year, kind, round_id):
        return subject, award, year, kind, round_id if kind == AwardType.AD_HOC else None

    taken = {}
    for row in batch.subject_nominations():  # in the model's order: the first nomination found is the one named
        if row["round__year"] not in years or not of_subjects(row, persons, units):
            continue
        subject = ("p", row["person_id"]) if row["person_id"] else ("u", row["unit_id"])
        award = ("t", row["title_id"]) if row["title_id"] else ("f", row["form_id"])
        taken.setdefault(key(subject, award, row["round__year"], row["round__kind"], row["round_id"]),
                         _("đã có đề nghị trong đợt “%(round)s”") % {"round": row["round__name"]})
        if row["person_id"]:
            taken.setdefault(("unit", row["person_id"], row["round__year"]), []).append(
                (row["submission__unit_id"], row["submission__unit__name"]))
    # the award records the batch's own decisions created are that same achievement, not a second one
    pending = set(batch.pending_pks)
    for row in batch.subject_awards(since=min(years)):  # newest first, then in the order they were recorded
        if row["year"] not in years or row["nomination_id"] in pending or not of_subjects(row, persons, units):
            continue
        subject = ("p", row["person_id"]) if row["person_id"] else ("u", row["unit_id"])
        award = ("t", row["title_id"]) if row["title_id"] else ("f", row["form_id"])
        text = (_("đã được khen thưởng (Quyết định số %(number)s)") % {"number": row["decision_number"]}
                if row["decision_number"] else _("đã được khen thưởng"))
        taken.setdefault(key(subject, award, row["year"], row["kind"], None), text)
    in_this_list = _("đã có trong danh sách này")
    out = []
    for i, f in items:
        year = f.year
        k = key(f.subject_key, f.award_key, year, f.round_kind, f.round_key)
        if k in taken:
            n = batch.items[i]
            award = n.title if n.title_id else n.form
            out.append((i, violation(rule, _("%(subject)s %(what)s “%(award)s” năm %(year)s: một thành tích chỉ khen thưởng một lần")
                                      % {"subject": n.subject, "what": taken[k], "award": award, "year": year})))
        else:
            taken[k] = in_this_list
        if f.person_id:
            unit_id = f.proposing_unit_id
            others = taken.setdefault(("unit", f.person_id, year), [])
            other_names = sorted({name for uid, name in others if uid != unit_id})
            if other_names:
                out.append((i, violation(rule, _("%(subject)s cũng được %(units)s đề nghị trong năm %(year)s: kiểm tra để không khen "
                                                  "hai lần cho một thành tích")
                                          % {"subject": batch.items[i].subject, "units": ", ".join(other_names), "year": year},
                                          severity=cross_severity)))
            others.append((unit_id, f.proposing_unit.name))
    return out

