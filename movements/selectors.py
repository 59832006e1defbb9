"""Reads and role scoping for the organisation model.

Every list view starts from a ``*_visible_to(user)`` function, so a unit head
never receives another unit's rows, whatever the URL says.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, DecimalField, F, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

# The award catalogues are the one thing movements reads from nominations: a leaf module (see its docstring).
from nominations.catalogues import EmulationTitle, person_titles, unit_titles  # noqa: F401  (person_titles, unit_titles re-exported)
from tdkt.hooks import Block
from tdkt.roles import is_active_account, is_office_user, is_unit_head, reads_every_unit, scope_to_own_unit, scope_to_unit
from tdkt.text import fold

from .enums import AcclamationState, CampaignDocumentKind, CriterionKind, RegistrationState, UnitKind
from .models import (
    AgencyProfile,
    Campaign,
    CampaignDocument,
    Cluster,
    ClusterAcclamation,
    ClusterMember,
    ClusterScore,
    HistoryChangeRequest,
    Person,
    PositionAssignment,
    RegisteredInitiative,
    Registration,
    RegistrationEntry,
    RegistrationWindow,
    ScoringCriterion,
    ScoringSection,
    Unit,
)


def agency_profile():
    return AgencyProfile.objects.filter(singleton=True).first()


def units_visible_to(user):
    return scope_to_unit(Unit.objects.select_related("parent"), user, "pk")


def persons_visible_to(user):
    return scope_to_unit(Person.objects.select_related("unit"), user, "unit_id")


def persons_search(qs, *, q=None):
    if q:
        folded = fold(q)
        qs = qs.filter(Q(name_folded__contains=folded) | Q(position_title__icontains=q))
    return qs


def units_with_counts(qs):
    return qs.annotate(
        people_count=Count("people", filter=Q(people__active=True), distinct=True),
        leader_count=Count("people", filter=Q(people__active=True, people__is_leadership=True), distinct=True),
    )


def positions_at(date, *, persons=None, units=None):
    """Assignments in force on ``date`` (one query), optionally limited to persons or units."""
    qs = PositionAssignment.objects.filter(Q(start_date__lte=date) & (Q(end_date__isnull=True) | Q(end_date__gte=date)))
    if persons is not None:
        qs = qs.filter(person__in=persons)
    if units is not None:
        qs = qs.filter(unit__in=units)
    return qs


def leadership_at(date, persons):
    """``{person_id: True/False}``: whether each person held a leadership post on ``date``."""
    held = dict(positions_at(date, persons=persons).values_list("person_id", "is_leadership"))
    return {getattr(p, "pk", p): held.get(getattr(p, "pk", p), False) for p in persons}


def unit_head_at(unit, date):
    assignment = positions_at(date, units=[unit]).filter(is_head=True).select_related("person").first()
    return assignment.person if assignment else None


#: What a thematic round needs of its campaign (R10's default parameters, and the campaign page's badge).
PLAN_KINDS = (CampaignDocumentKind.PLAN,)
REVIEW_KINDS = (CampaignDocumentKind.INTERIM_REPORT, CampaignDocumentKind.FINAL_REPORT)


def campaign_document_kinds(campaign_ids):
    """``{campaign_id: {document kinds attached}}`` for many campaigns in one query."""
    kinds = {pk: set() for pk in campaign_ids}
    for campaign_id, kind in CampaignDocument.objects.filter(campaign_id__in=kinds).values_list("campaign_id", "kind"):
        kinds[campaign_id].add(kind)
    return kinds


def has_plan_and_review(kinds, *, required_all=PLAN_KINDS, required_any=REVIEW_KINDS):
    """Every kind of ``required_all`` and, when ``required_any`` is given, one of them are in ``kinds``."""
    return set(required_all) <= set(kinds) and (not required_any or bool(set(kinds) & set(required_any)))


def campaign_has_plan_and_review(campaign):
    """R10: a thematic round needs its campaign's plan and a sơ kết or tổng kết report attached."""
    return has_plan_and_review(campaign_document_kinds([campaign.pk])[campaign.pk])


# ---------------------------------------------------------------- campaigns

def campaigns_visible_to(user):
    """Campaigns are public inside the agency: every active account reads them."""
    qs = Campaign.objects.select_related("lead_unit")
    return qs if is_active_account(user) else qs.none()


def campaigns_filter(qs, *, level=None, kind=None, status=None, year=None, q=None):
    if level:
        qs = qs.filter(level=level)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(start_year__lte=year, end_year__gte=year)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


# ---------------------------------------------------------------- registration



def registration_windows():
    return RegistrationWindow.objects.all()


def registrations_visible_to(user):
    return scope_to_unit(Registration.objects.select_related("window", "unit", "unit_title"), user, "unit_id")


def registration_units(window=None):
    """Units that register: every active phòng / đơn vị (not the agency itself), plus any that already did."""
    qs = Unit.objects.exclude(kind=UnitKind.AGENCY)
    condition = Q(active=True)
    if window is not None:
        condition |= Q(registrations__window=window)
    return qs.filter(condition).distinct().order_by("sort_order", "sort_name", "id")


def registration_members(registration):
    """People listed on the registration form: the unit's active members and anyone already registered."""
    return (Person.objects.filter(Q(unit=registration.unit, active=True) | Q(registrations__registration=registration))
            .distinct().order_by("-is_head", "-is_leadership", "sort_name", "id"))


def registration_entries(registration):
    return registration.entries.select_related("person", "title").order_by(
        "-person__is_head", "-person__is_leadership", "person__sort_name", "id")


#: Titles whose prerequisite a registration shows (entry: issue 13): a sáng kiến of the person (Nghị định 98/2023, Điều 5).
TITLES_NEEDING_INITIATIVE = ("CSTDCS", "CSTD_TINH")


def registration_warnings(registration):
    """Prerequisites visibly missing on the form, as sentences (a warning, not a refusal): a member registered for a title
    that needs a sáng kiến with none of theirs in the registration. Two queries."""
    owners = set(registration.initiatives.values_list("owner_id", flat=True))
    return [_("%(person)s đăng ký “%(title)s” nhưng phiếu chưa có sáng kiến nào của người này (điều kiện của danh hiệu: "
              "có sáng kiến được công nhận).") % {"person": e.person.full_name, "title": e.title.name}
            for e in registration_entries(registration).filter(title__code__in=TITLES_NEEDING_INITIATIVE)
            if e.person_id not in owners]


def registration_initiatives(registration):
    return registration.initiatives.select_related("owner").order_by("id")


@dataclass
class OverviewRow:
    unit: Unit
    registration: Registration | None
    members: int
    counts: list
    people: int
    initiatives: int

    @property
    def state(self):
        return self.registration.state if self.registration else ""

    @property
    def state_label(self):
        return self.registration.get_state_display() if self.registration else _("Chưa lập phiếu")

    @property
    def unit_title(self):
        return self.registration.unit_title if self.registration else None


@dataclass
class Overview:
    window: RegistrationWindow
    titles: list
    rows: list
    totals: list = field(default_factory=list)
    total_people: int = 0
    total_initiatives: int = 0
    total_members: int = 0
    unit_title_totals: list = field(default_factory=list)
    state_totals: list = field(default_factory=list)


def registration_overview(window, *, state=""):
    """One row per unit (state, collective title, count per individual title) and the roll-up.

    A fixed number of queries whatever the number of units (aggregates, not loops).
    """
    titles = list(person_titles())
    units = list(registration_units(window))
    registrations = {r.unit_id: r for r in Registration.objects.filter(window=window).select_related("unit_title")}
    counts = {}
    for row in (RegistrationEntry.objects.filter(registration__window=window)
                .values("registration__unit_id", "title_id").annotate(n=Count("id")).order_by()):
        counts[(row["registration__unit_id"], row["title_id"])] = row["n"]
    extra_title_ids = {title_id for (_unit, title_id) in counts} - {t.pk for t in titles}
    if extra_title_ids:  # a title since deactivated but still registered
        titles += list(EmulationTitle.objects.filter(pk__in=extra_title_ids))
    initiatives = dict(RegisteredInitiative.objects.filter(registration__window=window)
                       .values("registration__unit_id").annotate(n=Count("id")).order_by()
                       .values_list("registration__unit_id", "n"))
    members = dict(Person.objects.filter(active=True, unit__in=[u.pk for u in units]).values("unit_id")
                   .annotate(n=Count("id")).order_by().values_list("unit_id", "n"))
    rows = []
    for unit in units:
        registration = registrations.get(unit.pk)
        per_title = [counts.get((unit.pk, t.pk), 0) for t in titles]
        rows.append(OverviewRow(unit=unit, registration=registration, members=members.get(unit.pk, 0), counts=per_title,
                                people=sum(per_title), initiatives=initiatives.get(unit.pk, 0)))
    overview = Overview(window=window, titles=titles, rows=rows)
    overview.totals = [sum(r.counts[i] for r in rows) for i in range(len(titles))]
    overview.total_people = sum(r.people for r in rows)
    overview.total_initiatives = sum(r.initiatives for r in rows)
    overview.total_members = sum(r.members for r in rows)
    by_unit_title = {}
    for r in rows:
        if r.unit_title:
            by_unit_title.setdefault(r.unit_title.pk, [r.unit_title, 0])[1] += 1
    overview.unit_title_totals = sorted(by_unit_title.values(), key=lambda pair: (pair[0].sort_order, pair[0].name))
    states = [("none", _("Chưa lập phiếu"))] + list(RegistrationState.choices)
    overview.state_totals = [(value, label, sum(1 for r in rows if (r.state or "none") == value)) for value, label in states]
    if state:  # "none": units without a registration
        overview.rows = [r for r in rows if (r.state or "none") == state]
    return overview


def registration_window_for(year):
    return RegistrationWindow.objects.filter(year=year).first()


def registration_required(year):
    """For the nominations app: must a subject be registered (and approved) to be nominated for ``year``?"""
    window = registration_window_for(year)
    return bool(window and window.required_for_nomination)


def registration_required_years(years):
    """The years among ``years`` whose registration window says "register before nominating"."""
    return set(RegistrationWindow.objects.filter(year__in=years, required_for_nomination=True).values_list("year", flat=True))


def registered_titles(years, *, person_ids=(), unit_ids=()):
    """What was registered in an approved registration, for many subjects at once (one query each):
    a set of ``(year, "person" | "unit", subject id, title id)``."""
    approved = Registration.objects.filter(window__year__in=years, state=RegistrationState.APPROVED)
    registered = set()
    if person_ids:
        for year, person_id, title_id in RegistrationEntry.objects.filter(
                registration__in=approved, person_id__any=person_ids).values_list("registration__window__year", "person_id", "title_id"):
            registered.add((year, "person", person_id, title_id))
    if unit_ids:
        for year, unit_id, title_id in approved.filter(unit_id__any=unit_ids, unit_title__isnull=False).values_list(
                "window__year", "unit_id", "unit_title_id"):
            registered.add((year, "unit", unit_id, title_id))
    return registered


def registered_title_ids(year, *, person=None, unit=None):
    """For the nominations app: the title ids registered in an approved registration of ``year``."""
    if person is not None:
        rows = registered_titles([year], person_ids=[person.pk])
    else:
        rows = registered_titles([year], unit_ids=[unit.pk])
    return {title_id for (_year, _kind, _subject, title_id) in rows}


# ---------------------------------------------------------------- clusters

def clusters_visible_to(user):
    qs = Cluster.objects.select_related("leader_unit", "deputy_unit")
    if reads_every_unit(user):
        return qs
    if is_unit_head(user):
        return qs.filter(memberships__unit_id=user.unit_id).distinct()
    return qs.none()


def cluster_memberships(cluster):
    return ClusterMember.objects.filter(cluster=cluster).select_related("unit").order_by("unit__sort_order", "unit__name")


def cluster_table(cluster):
    """The scoring table: ``[(section, [criteria…])…]`` in two queries."""
    sections = list(ScoringSection.objects.filter(cluster=cluster).order_by("order", "id"))
    criteria = {}
    for criterion in ScoringCriterion.objects.filter(section__cluster=cluster).order_by("order", "id"):
        criteria.setdefault(criterion.section_id, []).append(criterion)
    return [(section, criteria.get(section.pk, [])) for section in sections]


def cluster_max_total(table):
    """Best possible total: standard criteria and bonuses at their maximum, no penalty."""
    return sum((c.max_score for _s, criteria in table for c in criteria if c.kind != CriterionKind.PENALTY), Decimal("0"))


def cluster_scores_for(cluster, unit):
    return {s.criterion_id: s for s in ClusterScore.objects.filter(cluster=cluster, unit=unit)}


@dataclass
class RankingRow:
    unit: Unit
    self_total: Decimal | None
    agreed_total: Decimal | None
    final_total: Decimal | None
    self_count: int
    agreed_count: int
    criteria_count: int
    role: str = ""
    rank: int | None = None
    acclamations: list = field(default_factory=list)

    @property
    def complete(self):
        return self.criteria_count > 0 and self.agreed_count == self.criteria_count


def _signed(column):
    return Case(When(criterion__kind=CriterionKind.PENALTY, then=-F(column)), default=F(column),
                output_field=DecimalField(max_digits=8, decimal_places=2))


def _q2(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def cluster_ranking(cluster):
    """Totals and rank of each member unit (a fixed number of queries whatever the number of units).

    The score that counts ("điểm xét") is the agreed score, or the self-score where no agreed score
    has been entered yet; penalty criteria deduct. Ties share a rank (1, 2, 2, 4).
    """
    memberships = list(cluster_memberships(cluster))
    criteria_count = ScoringCriterion.objects.filter(section__cluster=cluster).count()
    totals = {
        row["unit_id"]: row
        for row in ClusterScore.objects.filter(cluster=cluster).values("unit_id").annotate(
            self_total=Sum(_signed("self_score")),
            agreed_total=Sum(_signed("agreed_score")),
            final_total=Sum(Case(
                When(criterion__kind=CriterionKind.PENALTY, then=-Coalesce(F("agreed_score"), F("self_score"))),
                default=Coalesce(F("agreed_score"), F("self_score")),
                output_field=DecimalField(max_digits=8, decimal_places=2))),
            self_count=Count("self_score"), agreed_count=Count("agreed_score"),
        ).order_by()
    }
    acclaimed = {}
    for acclamation in (ClusterAcclamation.objects.filter(cluster=cluster).exclude(state=AcclamationState.WITHDRAWN)
                        .select_related("title", "form")):
        acclaimed.setdefault(acclamation.unit_id, []).append(acclamation)
    rows = []
    for membership in memberships:
        unit = membership.unit
        data = totals.get(unit.pk, {})
        role = "leader" if unit.pk == cluster.leader_unit_id else "deputy" if unit.pk == cluster.deputy_unit_id else ""
        rows.append(RankingRow(unit=unit, self_total=_q2(data.get("self_total")), agreed_total=_q2(data.get("agreed_total")),
                               final_total=_q2(data.get("final_total")), self_count=data.get("self_count", 0),
                               agreed_count=data.get("agreed_count", 0), criteria_count=criteria_count, role=role,
                               acclamations=acclaimed.get(unit.pk, [])))
    rows.sort(key=lambda r: (r.final_total is None, -(r.final_total or 0), r.unit.sort_order, r.unit.name))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.final_total is None:
            continue
        if row.final_total != previous:
            rank, previous = position, row.final_total
        row.rank = rank
    return rows


def acclamations_for(cluster):
    return ClusterAcclamation.objects.filter(cluster=cluster).select_related("unit", "title", "form").order_by("rank", "id")


def acclamations_pending(year=None):
    """For the nominations app: acclaimed units still waiting to be turned into a nomination."""
    qs = ClusterAcclamation.objects.filter(state=AcclamationState.PROPOSED).select_related("cluster", "unit", "title", "form")
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def home_counts(user):
    """The home page's organisation block (registered in ``MovementsConfig.ready``)."""
    return {
        "unit_count": units_visible_to(user).filter(active=True).count(),
        "person_count": persons_visible_to(user).filter(active=True).count(),
    }


def history_changes_visible_to(user):
    """Change requests of the position history: the office reads all, a unit head those its unit filed (the council
    none: they are the unit's unsent work)."""
    qs = HistoryChangeRequest.objects.select_related("person", "unit", "new_unit", "requested_by", "decided_by")
    return scope_to_own_unit(qs, user, "unit")


# ---------------------------------------------------------------- the home page (issue 13, part "home")

def dashboard(user):
    """The movements app's blocks of the home page (``tdkt.hooks.provide_dashboard``): for the office, the registrations
    waiting for review; for a unit head, the registration the unit must send (two queries whatever the size)."""
    today = timezone.localdate()
    if is_office_user(user):
        pending = list(Registration.objects.filter(state=RegistrationState.SUBMITTED).values("window__year")
                       .annotate(n=Count("pk")).order_by("-window__year"))
        return [Block("movements/home/office_registrations.html", order=15, pending=pending,
                      total=sum(row["n"] for row in pending), state=RegistrationState.SUBMITTED)]
    if is_unit_head(user):
        window = RegistrationWindow.objects.filter(opens_on__lte=today).order_by("-year").first()
        if window is None:
            return []
        registration = Registration.objects.filter(window=window, unit_id=user.unit_id).first()
        state = registration.state if registration else None
        to_send = state in (None, RegistrationState.DRAFT, RegistrationState.RETURNED)
        days = (window.closes_on - today).days
        return [Block("movements/home/unit_registration.html", order=5, window=window, registration=registration,
                      to_send=to_send, days_left=days, late=days < 0)]
    return []


def unit_accounts(unit):
    """The accounts tied to ``unit`` (unit heads and clerks), active first (polish, issue 13)."""
    return get_user_model().objects.filter(unit=unit).order_by("-is_active", "username")
