"""The batch being checked: the pending nominations and the data the validators share, each loaded once
with one query (positions around the reference dates, discipline records, the subjects' nominations and award
records, award names), so the number of queries does not grow with the number of nominations.

Lists of ids go to the database as ``__any`` (``tdkt.db``): one array parameter on PostgreSQL, whatever their length."""

import datetime
from collections import defaultdict
from operator import itemgetter
from typing import NamedTuple

from django.db.models import Q, Value
from django.utils import timezone

from movements.api import DisciplineKind, DisciplineRecord, PositionAssignment

from ..catalogues import CommendationForm, EmulationTitle
from ..enums import NominationState
from ..models.awards import AwardRecord
from .rule import Rule


def _covers(start, end, date):
    return start <= date and (end is None or date <= end)


class Position(NamedTuple):
    """A position held (``movements`` PositionAssignment), with the names the messages print."""

    person_id: int
    unit_id: int | None
    is_leadership: bool
    is_head: bool
    start_date: datetime.date
    end_date: datetime.date | None
    person_name: str
    unit_name: str | None


DISCIPLINES = frozenset(DisciplineKind.disciplines())
#: How far back R4 reads the history (the longest run of consecutive years a title asks for, and one more).
HISTORY_YEARS = 6
NOMINATION_FIELDS = ("person_id", "unit_id", "title_id", "form_id", "title__code", "form__code", "state", "round_id", "round__year",
                     "round__kind", "round__name", "submission__unit_id", "submission__unit__name")
#: the model's order (round, submission, id) spelt out: a submission's round is the nomination's (``Nomination.clean``),
#: so its round's columns are not joined a second time
NOMINATION_ORDER = ("-round__year", "-round__reference_date", "-round_id", "submission__unit__sort_order", "submission__unit__name",
                    "id")
AWARD_FIELDS = ("person_id", "unit_id", "year", "kind", "title_id", "form_id", "title__code", "form__code", "title__counts_as_merit",
                "form__counts_as_merit", "decision_number", "nomination_id")


def of_subjects(row, persons, units):
    """The row (a nomination or an award record, as a dict) is of one of ``persons`` or ``units``."""
    return row["person_id"] in persons or row["unit_id"] in units


class Facts(NamedTuple):
    """What the validators read of a pending nomination, as plain values read once per nomination (``Batch.facts``, in the
    order of ``Batch.items``): reading through the model's descriptors and related objects, again in every rule, was most
    of the cost of checking a long list."""

    ref: datetime.date
    year: int
    proposing_unit: object
    subject_key: tuple
    award_key: tuple
    award_code: str
    person_id: int | None
    unit_id: int | None
    #: the round's id, or for a round not saved yet the object's id (one key per round either way)
    round_key: int
    round_kind: str
    state: str
    proposing_unit_id: int
    title_id: int | None


def _facts_of(n):
    nomination_round = n.round
    person_id, unit_id, title_id, form_id = n.person_id, n.unit_id, n.title_id, n.form_id
    award = n.title if title_id else n.form
    unit = n.submission.unit
    return Facts(nomination_round.reference_date, nomination_round.year, unit,
                 ("p", person_id) if person_id else ("u", unit_id), ("t", title_id) if title_id else ("f", form_id),
                 award.code if award else "", person_id, unit_id, n.round_id or id(nomination_round), nomination_round.kind,
                 n.state, unit.pk, title_id)


class Batch:
    """The pending nominations and the data the validators share, each loaded once."""

    def __init__(self, pending, *, stage, rules, today=None, preview=False, whole_list=False):
        self.items = list(pending)
        self.stage = stage
        #: A draft shown to its unit (the form's live check): rules that judge a list only when it is sent (R1) say,
        #: as an advisory warning, what they would find if the list were sent now.
        self.preview = preview
        #: The drafts arrive as a whole list at once (an Excel import): those rules judge them now, with the unit's list.
        self.whole_list = whole_list
        self.rules = rules
        self.today = today or timezone.localdate()
        self.pending_pks = [n.pk for n in self.items if n.pk]
        self._cache = {}
        #: plain attributes of each pending nomination (objects already attached: no query), in the items' order;
        #: validators read ``batch.facts[i]``
        self.facts = [_facts_of(n) for n in self.items]
        self._facts_by_id = {id(n): f for n, f in zip(self.items, self.facts, strict=True)}  # the items live with the batch

    def _facts(self, n):
        facts = self._facts_by_id.get(id(n))
        if facts is None:
            facts = self._facts_by_id[id(n)] = _facts_of(n)
        return facts

    def ref(self, n):
        return self._facts(n).ref

    def year(self, n):
        return self._facts(n).year

    def proposing_unit(self, n):
        return self._facts(n).proposing_unit

    def subject_key(self, n):
        return self._facts(n).subject_key

    def award_key(self, n):
        return self._facts(n).award_key

    def award_code(self, n):
        return self._facts(n).award_code

    def _once(self, key, loader):
        if key not in self._cache:
            self._cache[key] = loader()
        return self._cache[key]

    def existing(self):
        """Nominations outside the batch that count (not refused).

        The table is reached through the class of the nominations given: the engine sits below the module that
        defines the model (whose validation calls the engine), so it never imports it."""
        if "existing" not in self._cache:  # built once (the list of pending ids is long), cloned by each use
            nomination_model = type(self.items[0])
            self._cache["existing"] = nomination_model._default_manager.filter(state__in=NominationState.counted()).exclude(
                pk__any=self.pending_pks)
        return self._cache["existing"].all()

    def sent_existing(self):
        """What the units have sent that counts (not drafts, not refused), outside the batch."""
        return self.existing().filter(state__in=NominationState.sent())

    def rule_params(self, code, date):
        for rule in self.rules:
            if rule.code == code and rule.applies_on(date):
                return rule.parameters
        return None

    # -- positions (leadership, heads, members) around the reference dates: one query
    def positions(self):
        def load():
            persons = {f.person_id for f in self.facts if f.person_id}
            units = {f.unit_id for f in self.facts if f.unit_id}
            if not persons and not units:
                return []
            dates = [f.ref for f in self.facts]
            # plain tuples, in the model's order (a unit's head is the first one found)
            return [Position._make(row) for row in
                    PositionAssignment.objects.filter(Q(person_id__any=persons) | Q(unit_id__any=units))
                    .filter(start_date__lte=max(dates)).filter(Q(end_date__isnull=True) | Q(end_date__gte=min(dates)))
                    .values_list(*Position._fields[:-2], "person__full_name", "unit__name")]
        return self._once("positions", load)

    def _positions_by(self, attr):
        grouped = self._cache.get(attr)
        if grouped is None:
            grouped = self._cache[attr] = defaultdict(list)
            for a in self.positions():
                grouped[getattr(a, attr)].append(a)
        return grouped

    def is_leader(self, person_id, date):
        """The person holds a leadership position on ``date`` (R1 asks once per scope: unit, agency)."""
        leaders = self._cache.get("leaders")
        if leaders is None:
            leaders = self._cache["leaders"] = {}
        key = (person_id, date)
        found = leaders.get(key)
        if found is None:
            periods = self._leadership_periods().get(person_id)
            found = leaders[key] = bool(periods) and any(_covers(start, end, date) for start, end in periods)
        return found

    def _leadership_periods(self):
        """``{person id: [(start, end)]}`` of the leadership positions loaded (most persons hold none)."""
        periods = self._cache.get("leadership_periods")
        if periods is None:
            periods = self._cache["leadership_periods"] = defaultdict(list)
            for a in self.positions():
                if a.is_leadership:
                    periods[a.person_id].append((a.start_date, a.end_date))
        return periods

    def head_of(self, unit_id, date):
        for a in self._positions_by("unit_id")[unit_id]:
            if a.is_head and _covers(a.start_date, a.end_date, date):
                return a
        return None

    def headed_by(self, person_id, date):
        return [a for a in self._positions_by("person_id")[person_id] if a.is_head and _covers(a.start_date, a.end_date, date)]

    def members(self, unit_id, date):
        return sorted({a.person_id for a in self._positions_by("unit_id")[unit_id] if _covers(a.start_date, a.end_date, date)})

    # -- discipline and hold records of the subjects: one query
    def disciplines(self):
        def load():
            persons = {f.person_id for f in self.facts if f.person_id}
            units = {f.unit_id for f in self.facts if f.unit_id}
            grouped = defaultdict(list)
            for d in DisciplineRecord.objects.filter(Q(person_id__any=persons) | Q(unit_id__any=units)).order_by("start_date"):
                grouped[("p", d.person_id) if d.person_id else ("u", d.unit_id)].append(d)
            return grouped
        return self._once("disciplines", load)

    def discipline_cut_year(self, f):
        """After a discipline, achievements count only from its end: years up to the end's year are out (``f``: a
        nomination's facts)."""
        records = self.disciplines().get(f.subject_key)
        if not records:  # most subjects: nothing to read
            return None
        ref = f.ref
        ends = [d.end_date for d in records if d.kind in DISCIPLINES and d.end_date and d.end_date < ref]
        return max(ends) if ends else None

    # -- the subjects' history, shared by the rules that read it (R1's pairs, R4, R5): one query each
    def subjects(self):
        """``(persons, units)`` whose history the rules read: the pending subjects and the members of the pending units
        at their reference dates (R4 counts the members' results)."""
        def load():
            persons = {f.person_id for f in self.facts if f.person_id}
            units = {f.unit_id for f in self.facts if f.unit_id}
            for f in self.facts:
                if f.unit_id:
                    persons.update(self.members(f.unit_id, f.ref))
            return persons, units
        return self._once("subjects", load)

    def years(self):
        return self._once("years", lambda: sorted({f.year for f in self.facts}))

    def subject_nominations(self):
        """The nominations that count (``existing()``) of the subjects in the pending years, every kind of round, in the
        model's order (R5 names the first one found), as dicts; each rule keeps the rows of its own subjects, years and
        kinds."""
        def load():
            persons, units = self.subjects()
            return list(self.existing().filter(Q(person_id__any=persons) | Q(unit_id__any=units), round__year__any=self.years())
                        .order_by(*NOMINATION_ORDER).values(*NOMINATION_FIELDS))
        return self._once("subject_nominations", load)

    def subject_awards(self, *, since):
        """The award records of the subjects from ``since`` to the last pending year, newest first (R5 names the first
        decision found), as dicts; each rule keeps the rows of its own subjects and years. Read once for the earliest
        year asked (R4, checked before R5, asks for the years its criteria go back to), again only if a later rule asks
        for earlier years."""
        loaded = self._cache.get("subject_awards")
        if loaded is None or loaded[0] > since:
            persons, units = self.subjects()
            rows = list(AwardRecord.objects.filter(Q(person_id__any=persons) | Q(unit_id__any=units), year__gte=since,
                                                   year__lte=self.years()[-1]).order_by("-year", "id").values(*AWARD_FIELDS))
            loaded = self._cache["subject_awards"] = (since, rows)
        return loaded[1]

    def award_names(self):
        def load():
            # one query for both catalogues; a form's name wins over a title's of the same code, as it always has
            titles = EmulationTitle.objects.order_by().annotate(catalogue=Value(0)).values_list("catalogue", "code", "name")
            forms = CommendationForm.objects.order_by().annotate(catalogue=Value(1)).values_list("catalogue", "code", "name")
            return {code: name for _catalogue, code, name in sorted(titles.union(forms, all=True).order_by(), key=itemgetter(0))}
        return self._once("award_names", load)


def load_rules():
    """The active rule rows, in the order they are checked."""
    return list(Rule.objects.filter(active=True).order_by("sort_order", "code", "-effective_from"))
