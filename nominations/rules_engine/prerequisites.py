"""R4 (prerequisites of each title or form: ratings, earlier awards, initiatives, members' results) with
R7 (ad hoc and thematic awards do not count), over the subjects' history loaded once."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from movements.api import PerformanceRating, Rating

from ..enums import AwardType
from ..models.awards import Initiative
from .batch import HISTORY_YEARS, of_subjects
from .registry import STAGE_AUDIT, STAGE_ENTRY, STAGE_RESUBMIT, STAGE_SUBMIT, STAGE_VET, fmt_date, fmt_pct, fmt_share, register, violation

RATINGS = frozenset(Rating.values)  # the enums' ``values`` are rebuilt on each read: read once


def _rating_label(value):
    return Rating(value).label if value in RATINGS else value


class _History:
    """Ratings, merit awards, concurrent nominations and initiatives of the subjects, by year."""

    def __init__(self, batch, items, excluded_kinds, span):
        """``items``: the facts (``Batch.facts``) of the nominations whose prerequisites are checked."""
        self.batch = batch
        lo, hi = span
        persons = {f.person_id for f in items if f.person_id}
        units = {f.unit_id for f in items if f.unit_id}
        self.members = {}
        for f in items:
            if f.unit_id:
                members = self.members[(f.unit_id, f.ref)] = batch.members(f.unit_id, f.ref)
                persons.update(members)
        who = Q(person_id__any=persons) | Q(unit_id__any=units)
        self.ratings = {}
        for person_id, unit_id, year, rating in PerformanceRating.objects.filter(who, year__gte=lo, year__lte=hi).order_by().values_list(
                "person_id", "unit_id", "year", "rating"):
            self.ratings[(("p", person_id) if person_id else ("u", unit_id), year)] = rating
        self.awards = defaultdict(set)  # (subject, code) → years
        for row in batch.subject_awards(since=lo):
            if not (lo <= row["year"] <= hi and of_subjects(row, persons, units)):
                continue
            tcode, fcode = row["title__code"], row["form__code"]
            if row["kind"] in excluded_kinds or not (row["title__counts_as_merit"] if tcode else row["form__counts_as_merit"]):
                continue
            self.awards[(("p", row["person_id"]) if row["person_id"] else ("u", row["unit_id"]), tcode or fcode)].add(row["year"])
        # Nominations of the same year count as "this year's" title (LĐTT proposed with CSTĐCS, members' LĐTT…).
        self.concurrent = defaultdict(set)
        years = {f.year for f in items}
        kinds = [k for k in AwardType.values if k not in excluded_kinds]
        for row in batch.subject_nominations():
            if row["round__year"] in years and row["round__kind"] in kinds and of_subjects(row, persons, units):
                subject = ("p", row["person_id"]) if row["person_id"] else ("u", row["unit_id"])
                self.concurrent[(subject, row["title__code"] or row["form__code"])].add(row["round__year"])
        self.pending_count = Counter()  # (subject, award code, year) → pending nominations
        for f in batch.facts:
            subject, code, year = f.subject_key, f.award_code, f.year
            self.pending_count[(subject, code, year)] += 1
            if f.round_kind in kinds:
                self.concurrent[(subject, code)].add(year)
        self.initiatives = defaultdict(list)
        for person_id, year, scope in Initiative.objects.filter(person_id__any=persons, year__gte=lo, year__lte=hi).order_by().values_list(
                "person_id", "year", "scope"):
            self.initiatives[("p", person_id)].append((year, scope))

    def has_award(self, subject, code, year, *, self_item=None):
        if year in self.awards[(subject, code)]:
            return True
        if year in self.concurrent[(subject, code)]:
            # the nomination being checked does not prove itself
            return not (self_item is not None and self_item.subject_key == subject
                        and self_item.award_code == code and self._only_self(subject, code, year, self_item))
        return False

    def _only_self(self, subject, code, year, item):
        """No other pending nomination of ``subject`` for ``code`` in ``year`` than ``item`` (facts; it has that subject and
        code)."""
        others = self.pending_count[(subject, code, year)] - (1 if item.year == year else 0)
        return others == 0

    def rating(self, subject, year):
        return self.ratings.get((subject, year))


def _years_back(crit):
    """How many years before a nomination's year its criteria read: a run of consecutive years ending this year or the
    year before (and the year before that, named when missing); none for this year's rating and awards."""
    options = crit.get("consecutive_any") or []
    return max(option["years"] for option in options) + 1 if options else 0


RANKS = {value: Rating.rank(value) for value in RATINGS}


def _rank(value):
    return RANKS.get(value, 0)


def _missing_years(got, size, year, cut):
    """The years missing *inside* a run of ``size`` consecutive years ending this year or the year before (a gap:
    a year without it between two years with it), from the window closest to complete; nothing when there is no gap.
    Years up to the end of a discipline do not count and are not named."""
    got = set(got)
    best = None
    for end in (year, year - 1):
        window = [y for y in range(end - size + 1, end + 1) if not (cut and y <= cut.year)]
        present = got.intersection(window)
        if not window or not present:
            continue
        missing = [y for y in window if y not in got]
        inner = [y for y in missing if min(present) < y < max(present)]
        if best is None or (len(missing), -len(inner)) < best[0]:
            best = ((len(missing), -len(inner)), inner)
    return best[1] if best else []


def _person_prerequisites(batch, hist, n, crit, names, cut):
    """``n``: the nomination's facts (``Batch.facts``)."""
    subject, year = n.subject_key, n.year
    problems = []
    if cut and year <= cut.year:
        return [_("thành tích năm %(year)s không được tính vì kỷ luật đến %(date)s") % {"year": year, "date": fmt_date(cut)}]
    rating = hist.rating(subject, year)
    if "min_rating" in crit:
        if rating is None:
            problems.append(_("chưa có xếp loại chất lượng năm %(year)s") % {"year": year})
        elif _rank(rating) < _rank(crit["min_rating"]):
            problems.append(_("xếp loại năm %(year)s là “%(r)s”, cần từ “%(min)s” trở lên")
                            % {"year": year, "r": _rating_label(rating), "min": _rating_label(crit["min_rating"])})
    if "one_of" in crit:
        alt = crit["one_of"]
        ok = bool(alt.get("rating")) and rating == alt["rating"]
        if alt.get("initiative_in_year"):
            ok = ok or any(y == year for y, _s in hist.initiatives[subject])
        if not ok:
            problems.append(_("cần xếp loại “%(r)s” năm %(year)s hoặc có sáng kiến, đề tài được công nhận, nghiệm thu trong năm %(year)s")
                            % {"r": _rating_label(alt.get("rating", "HTXSNV")), "year": year})
    windows = [[year]]
    if "consecutive_any" in crit:
        options = crit["consecutive_any"]
        span = max(o["years"] for o in options)
        windows = []
        for option in options:
            size = option["years"]
            for end in (year, year - 1):
                window = list(range(end - size + 1, end + 1))
                if cut and window[0] <= cut.year:
                    continue
                if "award" in option:
                    ok = all(hist.has_award(subject, option["award"], y, self_item=n) for y in window)
                else:
                    ok = all(hist.rating(subject, y) == option["rating"] for y in window)
                if ok:
                    windows.append(window)
        if not windows:
            wanted, facts, gaps = [], [], []
            for option in options:
                if "award" in option:
                    what = names.get(option["award"], option["award"])
                    got = [y for y in range(year - span - 1, year + 1)
                           if hist.has_award(subject, option["award"], y, self_item=n) and not (cut and y <= cut.year)]
                else:
                    what = _rating_label(option["rating"])
                    got = [y for y in range(year - span - 1, year + 1)
                           if hist.rating(subject, y) == option["rating"] and not (cut and y <= cut.year)]
                wanted.append(_("%(n)s năm liên tục đạt “%(what)s”") % {"n": option["years"], "what": what})
                facts.append(_("%(what)s: %(years)s") % {"what": what, "years": ", ".join(map(str, got)) or _("chưa có năm nào")})
                missing = _missing_years(got, option["years"], year, cut)
                if missing:
                    gaps.append((what, missing))
            problem = _("cần %(wanted)s, kết thúc năm %(prev)s hoặc %(year)s (%(facts)s)") % {
                "wanted": _(" hoặc ").join(wanted), "prev": year - 1, "year": year, "facts": "; ".join(facts)}
            if len(gaps) == 1:
                problem += "; " + _("thiếu năm %(years)s") % {"years": ", ".join(map(str, gaps[0][1]))}
            elif gaps:
                problem += "; " + "; ".join(_("“%(what)s” thiếu năm %(years)s") % {"what": what, "years": ", ".join(map(str, years))}
                                            for what, years in gaps)
            problems.append(problem)
            windows = [list(range(year - span + 1, year + 1))]
    if "initiatives_in_window" in crit:
        need = crit["initiatives_in_window"]
        wanted_scope = need.get("scope")
        counts = [sum(1 for y, scope in hist.initiatives[subject] if y in window and (not wanted_scope or scope == wanted_scope))
                  for window in windows]
        if max(counts) < need["count"]:
            best = windows[counts.index(max(counts))]
            period = str(best[0]) if len(best) == 1 else f"{best[0]}–{best[-1]}"
            scope_text = _(" có phạm vi ảnh hưởng cấp tỉnh") if wanted_scope == "province" else ""
            problems.append(_("cần ít nhất %(need)s sáng kiến, đề tài%(scope)s trong %(period)s: có %(got)s")
                            % {"need": need["count"], "scope": scope_text, "period": period, "got": max(counts)})
    return problems


def _unit_prerequisites(batch, hist, n, crit, names):
    """``n``: the nomination's facts (``Batch.facts``)."""
    subject, year = n.subject_key, n.year
    problems = []
    if "min_rating" in crit:
        rating = hist.rating(subject, year)
        if rating is None:
            problems.append(_("tập thể chưa có xếp loại chất lượng năm %(year)s") % {"year": year})
        elif _rank(rating) < _rank(crit["min_rating"]):
            problems.append(_("tập thể xếp loại năm %(year)s là “%(r)s”, cần từ “%(min)s” trở lên")
                            % {"year": year, "r": _rating_label(rating), "min": _rating_label(crit["min_rating"])})
    members = hist.members.get((n.unit_id, n.ref), [])
    if any(k in crit for k in ("members_min_rating", "members_award_share", "members_award_count")) and not members:
        return [*problems, _("tập thể chưa có thành viên vào ngày xét")]
    total = len(members)
    if "members_min_rating" in crit:
        below = sum(1 for m in members if _rank(hist.rating(("p", m), year)) < _rank(crit["members_min_rating"]))
        if below:
            problems.append(_("%(k)s/%(n)s thành viên chưa đạt từ “%(min)s” trở lên năm %(year)s (cần 100%%)")
                            % {"k": below, "n": total, "min": _rating_label(crit["members_min_rating"]), "year": year})
    if "members_award_share" in crit:
        rule = crit["members_award_share"]
        share = Decimal(str(rule["min_share"]))
        got = sum(1 for m in members if hist.has_award(("p", m), rule["award"], year))
        strict = rule.get("more_than", False)
        ok = (Decimal(got) > share * total) if strict else (Decimal(got) >= share * total)
        if not ok:
            problems.append(_("%(k)s/%(n)s thành viên đạt “%(what)s” năm %(year)s (%(pct)s%%), cần %(cmp)s %(min)s%%")
                            % {"k": got, "n": total, "what": names.get(rule["award"], rule["award"]), "year": year,
                               "pct": fmt_pct(got, total), "cmp": _("trên") if strict else _("từ"), "min": fmt_share(share)})
    if "members_award_count" in crit:
        rule = crit["members_award_count"]
        got = sum(1 for m in members if hist.has_award(("p", m), rule["award"], year))
        if got < rule["min"]:
            problems.append(_("cần ít nhất %(min)s thành viên đạt “%(what)s” năm %(year)s: có %(k)s")
                            % {"min": rule["min"], "what": names.get(rule["award"], rule["award"]), "year": year, "k": got})
    return problems


@register("R4", stages=(STAGE_ENTRY, STAGE_SUBMIT, STAGE_RESUBMIT, STAGE_VET, STAGE_AUDIT))
def prerequisites(rule, batch, idx):
    """Điều kiện theo lịch sử xếp loại, khen thưởng, sáng kiến của từng danh hiệu/hình thức (tham số
    theo mã). Khen thưởng đột xuất, chuyên đề không được tính (R7); sau kỷ luật chỉ tính thành tích
    từ khi hết thời hạn kỷ luật (R6)."""
    targets = []
    parameters = rule.parameters
    for i in idx:
        f = batch.facts[i]
        crit = parameters.get(f.award_code)
        if not crit:
            continue
        wants = crit.get("subject")
        if wants and wants != ("person" if f.person_id else "unit"):
            continue
        targets.append((i, f, crit))
    if not targets:
        return []
    r7 = batch.rule_params("R7", targets[0][1].ref) or {}
    excluded = r7.get("excluded_kinds", [])
    years = [f.year for _i, f, _c in targets]
    # the history goes back as far as a criterion reads, and never more than HISTORY_YEARS before the first year
    since = max(min(years) - HISTORY_YEARS, min(f.year - _years_back(crit) for _i, f, crit in targets))
    hist = _History(batch, [f for _i, f, _c in targets], excluded, (since, max(years)))
    names = batch.award_names()
    out = []
    for i, f, crit in targets:
        if f.person_id:
            problems = _person_prerequisites(batch, hist, f, crit, names, batch.discipline_cut_year(f))
        else:
            problems = _unit_prerequisites(batch, hist, f, crit, names)
        if problems:
            award = names.get(f.award_code, f.award_code)
            out.append((i, violation(rule, _("%(subject)s chưa đủ điều kiện “%(award)s”: %(problems)s")
                                      % {"subject": batch.items[i].subject, "award": award, "problems": "; ".join(problems)})))
    return out


@register("R7", stages=())
def thematic_and_ad_hoc_do_not_count(rule, batch, idx):
    """Kết quả khen thưởng đột xuất, chuyên đề không làm căn cứ đề nghị khen thưởng công trạng:
    các loại trong ``excluded_kinds`` không được R4 tính (quy định này không tự báo vi phạm)."""
    return []

