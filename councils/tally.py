"""The arithmetic of a vote, in one place and without the database: the quorum, the base of the percentage, the
threshold, and the texts that state them.

Every comparison is exact (integers and :class:`~decimal.Decimal`): 2/3 of 9 members is 6, 90 % of 10 is 9, and “from
50 %” differs from “more than 50 %” exactly at 5 of 10.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .enums import ThresholdComparison, VotingBase, VotingMethod

#: The fields of a voting rule that decide a vote; a vote round keeps a copy of them (a later edit of the rule
#: changes no result).
TERM_FIELDS = ("method", "base", "threshold", "comparison", "quorum_numerator", "quorum_denominator",
               "written_opinions_count", "allows_abstention")


@dataclass(frozen=True)
class Terms:
    """What decides a vote: the voting rule's fields (:data:`TERM_FIELDS`)."""

    method: str
    base: str
    threshold: Decimal
    comparison: str
    quorum_numerator: int
    quorum_denominator: int
    written_opinions_count: bool
    allows_abstention: bool

    @classmethod
    def of(cls, source):
        """The terms of a voting rule or of a vote round (which keeps a copy)."""
        return cls(**{name: getattr(source, name) for name in TERM_FIELDS})

    @property
    def secret(self):
        return self.method == VotingMethod.SECRET


@dataclass(frozen=True)
class Result:
    """The outcome of one vote. ``members``: voting members of the meeting; ``recused``: of them, left out of the item;
    ``attending``: the members the “present” base counts (present, or absent with a written opinion that counts, not
    recused; in a written consultation: those who answered); ``base``: what the percentage is taken of."""

    yes: int
    no: int
    abstain: int
    members: int
    recused: int
    attending: int
    base: int
    percentage: Decimal
    needed: int | None
    quorum_met: bool
    passed: bool


def quorum_needed(members, numerator, denominator):
    """The fewest members present that make the quorum: ``numerator/denominator`` of ``members``, rounded up
    (2/3 of 9 → 6, 2/3 of 10 → 7)."""
    return -(-members * numerator // denominator)


def percentage(part, whole):
    """``part`` as a percentage of ``whole`` with two decimals (half up); 0 when ``whole`` is 0."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def reaches(yes, base, threshold, comparison):
    """Whether ``yes`` of ``base`` reaches ``threshold`` % (``comparison``: at least, or more than). Exact."""
    if base <= 0:
        return False
    scaled, bar = Decimal(yes) * 100, Decimal(threshold) * base
    return scaled >= bar if comparison == ThresholdComparison.AT_LEAST else scaled > bar


def yes_needed(base, threshold, comparison):
    """The fewest “đồng ý” that pass out of ``base`` (``None`` when none can, e.g. an empty base)."""
    return next((yes for yes in range(base + 1) if reaches(yes, base, threshold, comparison)), None)


def judge(terms, *, members, recused, attending, yes, no, abstain, quorum_met=True):
    """The :class:`Result` of a vote by ``terms``. Recused members are never in the base; without the quorum the item
    does not pass."""
    base = members - recused if terms.base == VotingBase.ALL else attending
    return Result(yes=yes, no=no, abstain=abstain, members=members, recused=recused, attending=attending, base=base,
                  percentage=percentage(yes, base), needed=yes_needed(base, terms.threshold, terms.comparison),
                  quorum_met=quorum_met,
                  passed=quorum_met and reaches(yes, base, terms.threshold, terms.comparison))


# ---------------------------------------------------------------- texts (Vietnamese, as the minutes print them)

def fmt_number(value):
    """``Decimal("90.00")`` → ``90``, ``Decimal("55.56")`` → ``55,56``."""
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def threshold_text(terms):
    """“từ 90% trở lên tổng số thành viên Hội đồng” / “trên 50% số thành viên có mặt”."""
    label = str(VotingBase(terms.base).label)
    base = label[:1].lower() + label[1:]
    if terms.comparison == ThresholdComparison.AT_LEAST:
        return _("từ %(t)s%% trở lên so với %(base)s") % {"t": fmt_number(terms.threshold), "base": base}
    return _("trên %(t)s%% so với %(base)s") % {"t": fmt_number(terms.threshold), "base": base}


def describe(terms):
    """The rule in one sentence, for the pages and the minutes."""
    parts = [
        _("%(method)s; đạt khi số phiếu đồng ý %(threshold)s (không tính thành viên không tham gia xét)")
        % {"method": VotingMethod(terms.method).label, "threshold": threshold_text(terms)},
        _("cần có mặt ít nhất %(n)s/%(d)s thành viên") % {"n": terms.quorum_numerator, "d": terms.quorum_denominator},
        _("ý kiến bằng văn bản của thành viên vắng mặt được tính") if terms.written_opinions_count
        else _("ý kiến bằng văn bản của thành viên vắng mặt không được tính"),
        _("có lựa chọn “không biểu quyết”") if terms.allows_abstention else _("không có lựa chọn “không biểu quyết”"),
    ]
    return "; ".join(str(p) for p in parts) + "."


def result_text(result, terms):
    """“Đồng ý 9/10 (90%), không đồng ý 1, không biểu quyết 0; cần từ 90% trở lên so với …: đạt.”"""
    if not result.quorum_met:
        return _("Không đủ số thành viên theo quy định (%(n)s/%(d)s): không đạt.") % {
            "n": terms.quorum_numerator, "d": terms.quorum_denominator}
    return _("Đồng ý %(yes)s/%(base)s (%(pct)s%%), không đồng ý %(no)s, không biểu quyết %(abstain)s; cần %(threshold)s: "
             "%(outcome)s.") % {
        "yes": result.yes, "base": result.base, "pct": fmt_number(result.percentage), "no": result.no,
        "abstain": result.abstain, "threshold": threshold_text(terms), "outcome": _("đạt") if result.passed else _("không đạt")}
