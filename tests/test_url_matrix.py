"""The role × URL matrix, driven by the URL resolver: a new URL is covered without editing this file.

How it works:

1. :func:`project_routes` walks ``get_resolver()`` recursively (namespaces included) and keeps every URL
   pattern of the project's apps; the only patterns left out are in ``SKIPPED``, each with its reason.
2. The world (``tests/factories/matrix.py``) holds two units A and B and, for each, one object of every
   model a URL can name, at primary key ``A_ID`` for A and ``B_ID`` for B in its own table. Every
   ``<id:…>``/``<uuid:…>`` of a route is filled with one side's key (``<year:…>`` with the data's year,
   ``<str:…>`` from ``STR_PARAMETERS``): with B's key the URL names unit B's object of whichever model
   the view reads.
3. Every URL is requested (GET, then POST with empty data) by each of ``ROLES``, each request inside a
   savepoint rolled back at once, so the world is the same for every request. The expectations
   (``EXPECTED``) are data, checked on every response; every breach is collected and reported together.

What "unit B's object" means for an answer is observed, not declared per URL (an object is unit-owned
when its ``scope_unit_id`` is a unit, ``tdkt/roles.py``): a page is about the model instances its template
receives (the context's values and its forms' instances); a file or any other answer is about the
instances the view loaded (``post_init``). Unit A's head must get no 2xx that is about B's unit-owned
object at the URL's id. A write URL is recognised by what the office gets: GET answers 405 (POST only),
or the page posts a form to itself, or an empty POST changed a row (``office`` is asked first).

A new URL needs no edit here. A new kind of ``<str:…>`` parameter fails until ``STR_PARAMETERS`` says what
to try; a URL naming a model the world lacks fails as not "reached" until ``tests/factories/matrix.py``
creates it at ``A_ID`` and ``B_ID``.
"""

import importlib
import logging
import re
import time
import uuid
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_init
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.test.utils import ContextList
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

from tdkt.converters import IdConverter, YearConverter
from tdkt.workflow import Workflow
from tests.factories.matrix import A_ID, B_ID, B_MARKER, YEAR, build_world

# required_documents: the world's entries of the list of required documents stay (tests/conftest.py)
pytestmark = [pytest.mark.integration, pytest.mark.required_documents]

#: The apps whose URLs the matrix covers (a view's module must start with one of these).
PROJECT_APPS = ("tdkt", "movements", "nominations", "councils")

#: The only patterns left out, each with its reason: ("prefix", route prefix) or ("name", URL name).
SKIPPED = {
    ("prefix", "quan-tri/"): "the Django admin: is_staff and its own permissions (tests/nominations/test_admin.py, tests/tdkt)",
    ("prefix", settings.STATIC_URL.lstrip("/")): "static files (served by WhiteNoise, never by a view of ours)",
    ("name", "login"): "auth view: open to anonymous users by design",
    ("name", "logout"): "auth view: ends the session the matrix runs in",
    ("name", "password_change"): "auth view: the user's own password, no object of any unit",
    ("name", "password_change_done"): "auth view: a static confirmation page",
    ("name", "password_reset"): "auth view: \"Quên mật khẩu\", open to anonymous users by design (tests/tdkt/test_accounts.py)",
    ("name", "password_reset_done"): "auth view: a static confirmation page",
    ("name", "password_reset_confirm"): "auth view: a one-time e-mailed token, open to anonymous users (tests/tdkt/test_accounts.py)",
    ("name", "password_reset_complete"): "auth view: a static confirmation page",
    ("name", "healthz"): "health check: open to anyone by design, says only ok/not ok (503 while the worker's heartbeat "
                         "is stale), names no object (tests/tdkt/test_health.py)",
}

#: Who asks. "head_a" is the head of unit A; nobody asks as unit B: B's objects are the ones that could leak.
ROLES = ("office", "council", "head_a", "anonymous")


def _workflows():
    """Every workflow table of the apps (``<app>/workflows.py``)."""
    for app in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.workflows")
        except ModuleNotFoundError:
            continue
        yield from (value for value in vars(module).values() if isinstance(value, Workflow))


def next_states(world, variant):
    """The targets of every move a workflow allows from the state of the world's object of its model on this
    side (a target no move reaches from there answers no differently from an unknown one: ``NO_STATE``)."""
    if variant == "-":
        return [(NO_STATE,)]
    objects = world.side(variant).objects
    found = {str(move.target) for workflow in _workflows() if workflow.model in objects
             for move in workflow.moves if move.admits(getattr(objects[workflow.model], workflow.state_field))}
    return [(state,) for state in sorted(found)] + [(NO_STATE,)]


NO_STATE = "khong-co-trang-thai"

#: Values of ``<str:…>`` parameters, by the names a route takes together, with the reason. A route with a
#: ``<str:…>`` parameter not listed here fails the matrix (say what to put in it).
STR_PARAMETERS = {
    ("to_state",): (next_states, "every move a workflow allows from the state of this side's objects, and no state"),
    ("status",): (next_states, "the round status: likewise"),
    ("app_label", "model"): (lambda world, variant: [(m._meta.app_label, m._meta.model_name) for m in world.models
                                                     if m._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")],
                             "the audit history of every model of the world (integer keys: the route takes <id:pk>)"),
    # decisions (issue 11): the file formats of a decision or tờ trình, and one that does not exist
    ("fmt",): (lambda world, variant: [("pdf",), ("docx",), ("xlsx",), ("scan",), ("khong-co",)],
               "the files of a decision / tờ trình (PDF, Word, Excel annex, the province's scan) and an unknown format"),
}

#: Pages whose form is posted to read, not to write (nothing is stored), by URL name, with the reason: any logged-in
#: user may post there; the matrix still checks that their POST changes no row.
READ_ONLY_FORMS = {
    "signature_verify": "Kiểm tra chữ ký số (issue 12): the uploaded PDF is read for its signatures and never stored",
}

#: The pages where the council writes (its members vote, comment, recuse themselves).
COUNCIL_PAGES = "councils:"

#: Statuses that refuse: not found (another unit's record, README "Roles"), forbidden (a page of another role),
#: method not allowed.
REFUSED = {403, 404, 405}

#: What each role may get, and why: the rules checked on every answer (a breach is a "finding").
EXPECTED = {
    "no_5xx": "no 5xx for anybody: any role, any URL, GET or POST, A's ids or B's",
    "anonymous": "a redirect to the login page (login_required), or 404/405; never 2xx",
    "head_a_on_b": "unit A's head gets no answer about B's unit-owned object but a refusal (403/404/405) or a "
                   "redirect that changed nothing (README, Roles: another unit's records answer 404 by URL)",
    "head_a_post_on_b_changes_nothing": "a POST by unit A's head to a URL with B's ids changes no row",
    "head_a_never_sees_b_private_text": f"no page unit A's head gets shows B's private texts ({B_MARKER})",
    "council_post_on_write": "the council reads the other apps: its POST to a write URL outside the councils app is "
                             "refused (403/404/405) or a redirect that changed nothing (on the councils' pages a member "
                             "votes and comments: a form with its errors is a fair answer there)",
    "council_post_changes_nothing": "no empty POST by the council changes a row (a member's vote, comment or recusal "
                                    "needs its choice, text or reason)",
    "reached": "every route answers someone, in some variant, with something but 404: else the world lacks the "
               "object it names (add it to tests/factories/matrix.py) and the route is tested vacuously",
}


def breaches(role, method, target, answer, *, login, owned_by_b, write_url):
    """The rules of ``EXPECTED`` this answer breaks."""
    status, refused_or_redirect = answer.status, answer.status in REFUSED or 300 <= answer.status < 400
    if status >= 500:
        return ["no_5xx"]
    broken = []
    if role == "anonymous" and not (status in (404, 405) or (status == 302 and answer.location.startswith(login))):
        broken.append("anonymous")
    if role == "head_a":
        if B_MARKER in answer.html:
            broken.append("head_a_never_sees_b_private_text")
        if target.variant == "B":
            about_b = {(m, pk) for m, pk in answer.named if (m, pk) in owned_by_b and pk in target.ids}
            if about_b and not refused_or_redirect:
                broken.append("head_a_on_b")
            if answer.changed:
                broken.append("head_a_post_on_b_changes_nothing")
    if role == "council" and method == "POST":
        if answer.changed:
            broken.append("council_post_changes_nothing")
        elif write_url and not refused_or_redirect and not target.route.name.startswith(COUNCIL_PAGES):
            broken.append("council_post_on_write")
    return broken


# ---------------------------------------------------------------- the walker

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the full route, e.g. "de-nghi/<id:pk>/sua/"
    name: str  # "namespace:name"
    module: str
    converters: dict = field(compare=False, hash=False)

    @property
    def params(self):
        return [m.group("name") for m in PARAM.finditer(self.route)]

    def kind(self, param):
        converter = self.converters[param]
        if isinstance(converter, YearConverter):
            return "year"
        if isinstance(converter, IdConverter | IntConverter):
            return "id"
        if isinstance(converter, UUIDConverter):
            return "uuid"
        if isinstance(converter, StringConverter | SlugConverter | PathConverter):
            return "str"
        raise AssertionError(f"{self.name}: parameter <{param}> has a converter the matrix does not know: {converter!r}")


def walk(resolver=None, prefix="", namespace="", converters=None):
    """Every URL pattern under ``resolver``: (route, "namespace:name", view module, converters)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from walk(entry, route, inner, found)
        else:
            callback = getattr(entry.callback, "view_class", entry.callback)
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Route(route=route, name=name, module=callback.__module__, converters=found)


def skip_reason(route):
    for (kind, value), reason in SKIPPED.items():
        if (kind == "prefix" and route.route.startswith(value)) or (kind == "name" and route.name == value):
            return reason
    return None


def project_routes():
    """(covered routes, skipped routes with reasons, routes that are neither)."""
    covered, skipped, unknown = [], [], []
    for route in walk():
        reason = skip_reason(route)
        if reason:
            skipped.append((route, reason))
        elif route.module.split(".")[0] in PROJECT_APPS:
            covered.append(route)
        else:
            unknown.append(route)
    return covered, skipped, unknown


# ---------------------------------------------------------------- filling the parameters

@dataclass(frozen=True)
class Target:
    route: Route
    variant: str  # "A", "B" or "-" (no object parameter)
    path: str
    ids: frozenset  # the object keys in the URL


def targets(route, world):
    params = route.params
    kinds = {p: route.kind(p) for p in params}
    str_params = tuple(p for p in params if kinds[p] == "str")
    if str_params:
        key = next((k for k in STR_PARAMETERS if set(k) == set(str_params)), None)
        assert key is not None, (f"{route.name} ({route.route}) takes <str:{'>, <str:'.join(str_params)}>: "
                                 f"add the values to try to STR_PARAMETERS")
        values_of = STR_PARAMETERS[key][0]
    variants = ("A", "B") if any(kinds[p] in ("id", "uuid") for p in params) else ("-",)
    for variant in variants:
        combos = [dict(zip(key, values, strict=True)) for values in values_of(world, variant)] if str_params else [{}]
        yield from _fill(route, variant, combos, kinds)


def _fill(route, variant, combos, kinds):
    pk = {"A": A_ID, "B": B_ID, "-": None}[variant]
    for strings in combos:
        values, ids = {}, set()
        for p in route.params:
            if kinds[p] == "id":
                values[p] = pk
                ids.add(pk)
            elif kinds[p] == "uuid":
                values[p] = uuid.UUID(int=pk)
                ids.add(values[p])
            elif kinds[p] == "year":
                values[p] = YEAR
            else:
                values[p] = strings[p]

        def fill(match, values=values):
            return route.converters[match.group("name")].to_url(values[match.group("name")])

        path = "/" + PARAM.sub(fill, route.route)
        yield Target(route=route, variant=variant, path=path, ids=frozenset(ids))


# ---------------------------------------------------------------- requests

def _models():
    return [m for app in PROJECT_APPS for m in apps.get_app_config(app).get_models(include_auto_created=True)]


def snapshot():
    """Every row of every table of the apps (the world is small)."""
    return {m._meta.db_table: hash(repr(list(m._base_manager.order_by("pk").values_list()))) for m in _models()}


#: A cheap count of the rows written so far (one query); a full snapshot is taken only when it moved.
WRITE_COUNTERS = {
    "sqlite": "SELECT total_changes()",
    "postgresql": "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables",
}


def rows_written():
    sql = WRITE_COUNTERS.get(connection.vendor)
    if sql is None:
        return None  # unknown database: always compare the full snapshot
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def objects_in_context(response):
    """The model instances a page's template received: the context's values and the forms' instances."""
    found = set()
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    for context in contexts:
        for value in context.flatten().values():
            for candidate in (value, getattr(value, "instance", None)):
                if isinstance(candidate, Model) and candidate.pk is not None:
                    found.add((type(candidate), candidate.pk))
    return found


@dataclass
class Answer:
    status: int
    location: str = ""
    html: str = ""
    changed: list | None = None  # tables whose rows differ from the world's (POST)
    named: set = field(default_factory=set)  # (model, pk) the answer is about: see ask()
    error: str = ""


def ask(client, method, path, *, world_rows, watch):
    """One request inside a savepoint rolled back at once, so every request starts from the same world
    (``world_rows``: its snapshot). ``watch``: note the objects the answer is about: for a page, the model
    instances its template received; for anything else (a file, a fragment), the instances the view loaded."""
    loaded = set()

    def record(sender, instance, **kwargs):
        if instance.pk is not None:
            loaded.add((sender, instance.pk))

    if watch:
        post_init.connect(record, weak=False, dispatch_uid="url-matrix")
    try:
        with transaction.atomic():
            written = rows_written()
            response = client.get(path) if method == "GET" else client.post(path, {})
            answer = Answer(status=response.status_code, location=response.get("Location", ""))
            if response.exc_info:
                answer.error = f"{response.exc_info[0].__name__}: {response.exc_info[1]}"
            if watch:
                answer.named = objects_in_context(response) if response.context is not None else set(loaded)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # the test client closes it (and keeps the connection) at the end
            elif "html" in response.get("Content-Type", "") or "text" in response.get("Content-Type", ""):
                answer.html = response.content.decode(errors="replace")
            if method == "POST" and answer.status < 500:
                answer.changed = []
                if written is None or rows_written() != written:
                    after = snapshot()
                    answer.changed = sorted(t for t in after if after[t] != world_rows[t])
            transaction.set_rollback(True)
    finally:
        if watch:
            post_init.disconnect(dispatch_uid="url-matrix")
    return answer


SELF_POSTING_FORM = re.compile(r"<form\b[^>]*\bmethod=[\"']?post[^>]*>", re.IGNORECASE)
ACTION = re.compile(r"\baction=[\"']([^\"']*)[\"']", re.IGNORECASE)


def posts_to_itself(html, path):
    for form in SELF_POSTING_FORM.findall(html):
        action = ACTION.search(form)
        if action is None or action.group(1) in ("", path):
            return True
    return False


# ---------------------------------------------------------------- the world, once for the module

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("matrix-media")))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    media.disable()


@pytest.fixture
def clients(world):
    made = {"anonymous": Client(raise_request_exception=False)}
    for role, user in (("office", world.office), ("council", world.council), ("head_a", world.a.head)):
        made[role] = Client(raise_request_exception=False)
        made[role].force_login(user)
    return made


# ---------------------------------------------------------------- self-checks: no vacuous pass

KNOWN = ["movements:person_detail", "movements:cluster_score_sheet", "movements:registration_window",
         "nominations:nomination_detail", "nominations:submission_detail", "nominations:document_download",
         "audit_history", "export_job_download", "home", "councils:meeting_detail", "councils:item_detail", "councils:vote"]


@pytest.mark.django_db
def test_the_walker_finds_the_known_urls_and_classifies_every_pattern(world):
    covered, skipped, unknown = project_routes()
    names = {r.name for r in covered}
    assert set(KNOWN) <= names
    assert unknown == [], "patterns neither covered nor in SKIPPED: " + ", ".join(f"{r.name} ({r.module})" for r in unknown)
    assert {r.name for r, _ in skipped} >= {"login", "logout", "password_change", "password_change_done"}
    assert any(r.route.startswith("quan-tri/") for r, _ in skipped)
    assert not any(r.route.startswith("quan-tri/") for r in covered)
    assert len(covered) >= 80  # 86 when the matrix was written; it only grows
    # Filling: B's variant names B's keys, and the path resolves to the same view.
    route = next(r for r in covered if r.name == "nominations:submission_detail")
    paths = {t.variant: t.path for t in targets(route, world)}
    assert paths == {"A": reverse("nominations:submission_detail", args=[A_ID, A_ID]),
                     "B": reverse("nominations:submission_detail", args=[B_ID, B_ID])}
    for route in covered:
        for target in targets(route, world):
            assert resolve(target.path).route == route.route, target.path


@pytest.mark.django_db
def test_the_world_holds_b_objects_at_7001(world):
    assert B_ID == 7001
    for model, obj in world.b.objects.items():
        for side in (world.a, world.b):
            key = uuid.UUID(int=side.pk) if isinstance(obj.pk, uuid.UUID) else side.pk
            stored = model._base_manager.get(pk=key)
            if getattr(stored, "scope_unit_id", None) is not None:
                assert stored.scope_unit_id == side.unit.pk, (model, side.pk)
            for name in ("file", "pact_file"):
                if getattr(stored, name, None):
                    assert stored.__dict__[name] and getattr(stored, name).storage.exists(getattr(stored, name).name), (model, name)
    owned = {model.__name__ for model, _ in world.owned_by_b()}
    assert owned >= {"Unit", "Person", "PositionAssignment", "PerformanceRating", "DisciplineRecord", "Registration",
                     "RegistrationEntry", "RegisteredInitiative", "ClusterMember", "ClusterScore", "ClusterAcclamation",
                     "UnitSubmission", "Nomination", "SubmissionDocument", "AwardRecord", "ExportJob"}
    shared = {model.__name__ for model in world.models} - owned
    assert shared >= {"Campaign", "CampaignDocument", "Cluster", "NominationRound"}
    # That every <id:…> of every route names a model the world holds is checked by "reached" in the matrix.


# ---------------------------------------------------------------- the matrix

@pytest.mark.django_db
def test_role_url_matrix(world, clients, capsys):
    covered, _skipped, _unknown = project_routes()
    owned_by_b = world.owned_by_b()
    login = resolve_url(settings.LOGIN_URL)
    findings, reached, requests, office_writes = [], set(), 0, 0
    world_rows = snapshot()
    started = time.perf_counter()

    def finding(rule, method, target, role, answer):
        extra = f" ({answer.error})" if answer.error else ""
        extra += f" → {answer.location}" if answer.location else ""
        extra += f", changed {answer.changed}" if answer.changed else ""
        about = sorted({f"{m.__name__} {pk}" for m, pk in answer.named if (m, pk) in owned_by_b}) if rule == "head_a_on_b" else ""
        extra += f", about B's {about}" if about else ""
        findings.append(f"[{rule}] {method} {target.path} ({target.route.name}, {target.variant}) as {role}: "
                        f"{answer.status}{extra}. Expected: {EXPECTED[rule]}")

    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # 403/404 are the point here, not news
    try:
        for route in covered:
            for target in targets(route, world):
                write_url = False  # decided by the office's answers: ROLES asks the office first
                for role in ROLES:
                    for method in ("GET", "POST"):
                        answer = ask(clients[role], method, target.path, world_rows=world_rows, watch=role == "head_a")
                        requests += 1
                        if answer.status != 404:
                            reached.add(route)
                        if role == "office":
                            office_writes += bool(answer.changed)
                            write_url |= (method == "GET" and answer.status == 405) or bool(answer.changed) or \
                                (method == "GET" and posts_to_itself(answer.html, target.path)
                                 and target.route.name not in READ_ONLY_FORMS)
                        for rule in breaches(role, method, target, answer, login=login, owned_by_b=owned_by_b,
                                             write_url=write_url):
                            finding(rule, method, target, role, answer)
    finally:
        quiet.setLevel(level)
    for route in covered:
        if route not in reached:
            findings.append(f"[reached] {route.name} ({route.route}): 404 for every role and variant. "
                            f"Expected: {EXPECTED['reached']}")
    # The change detection works: some empty POSTs of the office do write (confirmations, deletions).
    assert office_writes > 0, "no POST of the office changed a row: the change detection is broken"
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nURL matrix: {len(covered)} routes, {requests} requests in {elapsed:.1f} s, {len(findings)} findings")
    assert not findings, f"{len(findings)} findings in {requests} requests:\n" + "\n".join(findings)
