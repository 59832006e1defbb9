"""R10 (a thematic round needs its campaign's plan and review) and R11 (registration before nomination):
the rules that read the ``movements`` app, through its public API only."""

from django.utils.translation import gettext as _

from movements.api import campaign_document_kinds, has_plan_and_review, registered_titles, registration_required_years

from ..enums import AwardType
from .registry import STAGE_AUDIT, STAGE_ENTRY, STAGE_RESUBMIT, STAGE_SUBMIT, STAGE_VET, register, violation


def campaign_violations(rule, nomination_round, documents=None):
    """R10 for one round; ``documents``: the kinds of documents its campaign has (read here when omitted)."""
    if nomination_round.kind != AwardType.THEMATIC:
        return []
    campaign = nomination_round.campaign if nomination_round.campaign_id else None
    if campaign is None:
        return [violation(rule, _("đợt chuyên đề phải gắn với một phong trào thi đua"))]
    kinds = documents if documents is not None else campaign_document_kinds([campaign.pk])[campaign.pk]
    needs = {key: rule.parameters[key] for key in ("required_all", "required_any") if key in rule.parameters}
    if has_plan_and_review(kinds, **needs):
        return []
    return [violation(rule, _("phong trào “%(campaign)s” chưa có đủ kế hoạch và báo cáo sơ kết hoặc tổng kết: không xét khen thưởng "
                              "chuyên đề") % {"campaign": campaign})]


@register("R10", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_AUDIT))
def thematic_campaign(rule, batch, idx):
    """Đợt chuyên đề chỉ cho phong trào đã có kế hoạch (``required_all``) và báo cáo sơ kết hoặc tổng
    kết (``required_any``)."""
    thematic = [(i, batch.items[i]) for i in idx if batch.items[i].round.kind == AwardType.THEMATIC]
    if not thematic:
        return []
    docs = campaign_document_kinds({n.round.campaign_id for _i, n in thematic if n.round.campaign_id})
    out = []
    for i, n in thematic:
        out.extend((i, v) for v in campaign_violations(rule, n.round, docs.get(n.round.campaign_id, set())))
    return out


# ---------------------------------------------------------------- R11 registration before nomination

@register("R11", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def registration_required(rule, batch, idx):
    """Khi đợt đăng ký thi đua của năm đặt "bắt buộc đăng ký trước khi đề nghị", chỉ xét danh hiệu thi
    đua (trong các loại đợt ``round_kinds``, mặc định tổng kết năm) cho cá nhân, tập thể đã đăng ký đúng
    danh hiệu đó trong phiếu đăng ký đã được duyệt của năm."""
    kinds = rule.parameters.get("round_kinds", [AwardType.ANNUAL])
    facts = batch.facts
    candidates = [i for i in idx if facts[i].title_id and facts[i].round_kind in kinds]
    if not candidates:
        return []
    required = registration_required_years({facts[i].year for i in candidates})
    candidates = [i for i in candidates if facts[i].year in required]
    if not candidates:
        return []
    registered = registered_titles(required, person_ids={facts[i].person_id for i in candidates if facts[i].person_id},
                                   unit_ids={facts[i].unit_id for i in candidates if facts[i].unit_id})
    out = []
    for i in candidates:
        f = facts[i]
        subject = ("person", f.person_id) if f.person_id else ("unit", f.unit_id)
        if (f.year, *subject, f.title_id) in registered:
            continue
        n = batch.items[i]
        out.append((i, violation(rule, _("%(subject)s chưa đăng ký danh hiệu “%(title)s” năm %(year)s (hoặc phiếu đăng ký của đơn vị "
                                         "chưa được duyệt)") % {"subject": n.subject, "title": n.title, "year": n.round.year})))
    return out
