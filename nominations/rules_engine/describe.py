"""The parameters of a rule row in Vietnamese sentences, for the rules page (polish, issue 13): what the office reads
instead of the JSON the administrator edits. Unknown keys (a parameter added later) still show, as "key: value"."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movements.api import CampaignDocumentKind, Rating

from ..enums import AwardType, InitiativeScope, SubjectKind

SCOPES = {"unit": gettext_lazy("từng đơn vị"), "all": gettext_lazy("toàn cơ quan"), "round": gettext_lazy("từng đợt"), "year": gettext_lazy("cả năm")}
PERIODS = {"year": gettext_lazy("trong năm"), "round": gettext_lazy("trong đợt")}
SEVERITIES = {"warning": gettext_lazy("chỉ cảnh báo (được vượt khi ghi lý do)"), "blocking": gettext_lazy("chặn")}


def _percent(value):
    return f"{float(value) * 100:g}".replace(".", ",") + " %"


def _labels(codes, choices):
    names = dict(choices)
    return ", ".join(str(names.get(code, code)) for code in codes)


def _award(code, awards):
    return f"“{awards.get(code, code)}”"


def _rating(code):
    return f"“{dict(Rating.choices).get(code, code)}”"


def _condition(name, value, awards):
    """One prerequisite of R4 as a clause."""
    if name == "min_rating":
        return _("xếp loại năm xét từ %(r)s trở lên") % {"r": _rating(value)}
    if name == "members_min_rating":
        return _("mọi thành viên xếp loại từ %(r)s trở lên") % {"r": _rating(value)}
    if name == "one_of":
        options = []
        if "rating" in value:
            options.append(_("xếp loại %(r)s") % {"r": _rating(value["rating"])})
        if value.get("initiative_in_year"):
            options.append(_("có sáng kiến trong năm"))
        return _("và %(options)s") % {"options": _(" hoặc ").join(options)}
    if name == "consecutive_any":
        options = [_("%(n)s năm liên tục đạt %(what)s") % {
            "n": item["years"], "what": _award(item["award"], awards) if "award" in item else _("xếp loại %(r)s") % {"r": _rating(item["rating"])}}
            for item in value]
        return _(" hoặc ").join(options)
    if name == "initiatives_in_window":
        scope = value.get("scope")
        text = _("có ít nhất %(n)s sáng kiến trong các năm đó") % {"n": value.get("count", 1)}
        if scope:
            text += " (" + str(dict(InitiativeScope.choices).get(scope, scope)).lower() + ")"
        return text
    if name == "members_award_share":
        more = _("trên") if value.get("more_than") else _("ít nhất")
        return _("%(more)s %(p)s thành viên đạt %(award)s") % {"more": more, "p": _percent(value["min_share"]),
                                                              "award": _award(value["award"], awards)}
    if name == "members_award_count":
        return _("có ít nhất %(n)s thành viên đạt %(award)s") % {"n": value["min"], "award": _award(value["award"], awards)}
    return f"{name}: {value}"


def _prerequisites(parameters, awards):
    sentences = []
    for code, criteria in parameters.items():
        if not isinstance(criteria, dict):
            sentences.append(f"{code}: {criteria}")
            continue
        subject = criteria.get("subject")
        clauses = [_condition(name, value, awards) for name, value in criteria.items() if name != "subject"]
        head = awards.get(code, code)
        if subject:
            head += f" ({str(dict(SubjectKind.choices).get(subject, subject)).lower()})"
        sentences.append(f"{head}: " + "; ".join(clauses) + ".")
    return sentences


def describe_parameters(code, parameters, awards):
    """Sentences stating ``parameters`` of the rule ``code``; ``awards``: ``{award code: name}``."""
    parameters = dict(parameters or {})
    if not parameters:
        return [_("Không có tham số.")]
    if code == "R4":
        return _prerequisites(parameters, awards)
    sentences = []
    kinds = AwardType.choices
    p = parameters
    if "max_share" in p and "numerator" not in p:
        sentences.append(_("Không quá %(p)s số cá nhân được đề nghị là lãnh đạo, quản lý (làm tròn xuống).") % {"p": _percent(p.pop("max_share"))})
    if "numerator" in p:
        sentences.append(_("Số %(a)s không quá %(p)s số %(b)s, tính theo %(scope)s.") % {
            "a": _award(p.pop("numerator"), awards), "b": _award(p.pop("denominator", ""), awards),
            "p": _percent(p.pop("max_share", 0)), "scope": SCOPES.get(p.get("scope"), p.get("scope"))})
        p.pop("scope", None)
    if "scopes" in p:
        sentences.append(_("Tính riêng cho %(scopes)s.") % {"scopes": _(" và ").join(str(SCOPES.get(s, s)) for s in p.pop("scopes"))})
    if "period" in p:
        sentences.append(_("Thời gian tính: %(period)s (mọi đợt, mọi đơn vị).") % {"period": PERIODS.get(p.get("period"), p.get("period"))})
        p.pop("period")
    if "round_kinds" in p:
        sentences.append(_("Áp dụng cho các đợt: %(kinds)s.") % {"kinds": _labels(p.pop("round_kinds"), kinds)})
    if "awards" in p:
        names = p.pop("awards")
        sentences.append(_("Áp dụng cho: %(awards)s.") % {"awards": ", ".join(_award(a, awards) for a in names)} if names
                         else _("Áp dụng cho mọi danh hiệu, hình thức khen thưởng."))
    if "cross_unit_severity" in p:
        sentences.append(_("Một cá nhân được hai đơn vị cùng đề nghị: %(s)s.") % {"s": SEVERITIES.get(p.get("cross_unit_severity"), p.get("cross_unit_severity"))})
        p.pop("cross_unit_severity")
    if "excluded_kinds" in p:
        sentences.append(_("Không tính các khen thưởng: %(kinds)s.") % {"kinds": _labels(p.pop("excluded_kinds"), kinds).lower()})
    if "exempt_kinds" in p:
        sentences.append(_("Không áp dụng cho đợt: %(kinds)s.") % {"kinds": _labels(p.pop("exempt_kinds"), kinds).lower()})
    if "required_all" in p:
        sentences.append(_("Phong trào phải có: %(docs)s.") % {"docs": _labels(p.pop("required_all"), CampaignDocumentKind.choices).lower()})
    if "required_any" in p:
        sentences.append(_("Và ít nhất một trong: %(docs)s.") % {"docs": _labels(p.pop("required_any"), CampaignDocumentKind.choices).lower()})
    sentences.extend(f"{key}: {value}" for key, value in p.items())
    return sentences
