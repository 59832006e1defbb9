"""Who may see and do what on the council's pages, with other members' and other units' data present:

- unit heads and accounts without a seat are refused (403/404/405) on every URL of the councils app, GET and POST,
  whichever side's ids the URL names (the URL matrix's walker and world);
- a member sees only the meetings whose roll names them, once called;
- a member never sees another member's secret choice: every page any viewer gets is the same whoever chose what (an
  open vote, where the choices are public, is the control: there the pages differ);
- the chair's, the secretary's and the office's actions refuse the other members.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from councils import services
from councils.enums import Choice, MeetingState
from councils.models import Meeting, Participation
from tdkt.roles import Role
from tests.factories import UserFactory
from tests.factories.councils import CouncilMemberFactory, present, rule_for, sitting, vetted
from tests.factories.matrix import A_ID, B_ID, B_MARKER, build_world
from tests.factories.nominations import title
from tests.test_url_matrix import project_routes, targets

pytestmark = pytest.mark.integration

REFUSED = {403, 404, 405}


# ---------------------------------------------------------------- every URL of the app, for those who have no seat

@pytest.fixture
def world(db, settings, tmp_path):
    """The URL matrix's world (``tests/factories/matrix.py``): two units' data, the council's work on both sides; and an
    account of the council's role without a seat."""
    settings.MEDIA_ROOT = str(tmp_path)
    built = build_world()
    built.seatless = UserFactory(username="hoidong_khac", role=Role.COUNCIL)
    return built


def council_targets(world):
    routes = [route for route in project_routes()[0] if route.name.startswith("councils:")]
    assert len(routes) == 64  # every route of the app (meetings, votes, decisions, tờ trình, minutes, signing, verification)
    return [target for route in routes for target in targets(route, world)]


@pytest.mark.parametrize("who", ["head_a", "seatless"])
def test_unit_heads_and_accounts_without_a_seat_are_refused_on_every_council_url(world, who):
    user = world.a.head if who == "head_a" else world.seatless
    client = Client(raise_request_exception=False)
    client.force_login(user)
    answers = {}
    for target in council_targets(world):
        for method in ("GET", "POST"):
            with transaction.atomic():
                response = client.get(target.path) if method == "GET" else client.post(target.path, {})
                transaction.set_rollback(True)
            answers[(method, target.path)] = response.status_code
    allowed = {key: status for key, status in answers.items() if status not in REFUSED}
    assert allowed == {}
    assert len(answers) > 140
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert 'href="/hoi-dong/"' not in home and "Hội đồng Thi đua – Khen thưởng" not in home


def test_a_member_reads_only_the_meetings_whose_roll_names_them(world):
    chair_b = get_user_model().objects.get(username="chutich_ttud")  # on B's roll (the council in office), not on A's
    client = Client(raise_request_exception=False)
    client.force_login(chair_b)
    assert client.get(reverse("councils:meeting_detail", args=[B_ID])).status_code == 200
    assert client.get(reverse("councils:item_detail", args=[B_ID])).status_code == 200
    for name in ("meeting_detail", "meeting_summary", "summary_export", "ballot"):
        assert client.get(reverse(f"councils:{name}", args=[A_ID])).status_code == 404, name
    for name in ("item_detail", "vote", "item_comment", "recusal_add"):
        assert client.get(reverse(f"councils:{name}", args=[A_ID])).status_code in (404, 405), name
        response = client.post(reverse(f"councils:{name}", args=[A_ID]), {"choice": "yes", "text": "x", "confirm": "1"})
        assert response.status_code == (405 if name == "item_detail" else 404), name
    html = client.get(reverse("councils:meeting_list")).content.decode()
    assert f"Phiên họp {B_MARKER}" in html and "Phiên họp Ánh" not in html
    # the office's pages of a meeting the member does sit in
    for name in ("agenda_builder", "readings", "attendance", "meeting_edit"):
        assert client.get(reverse(f"councils:{name}", args=[B_ID])).status_code == 403, name


def test_a_draft_is_the_offices_and_a_member_who_joined_later_is_not_on_the_roll(client, office, council9):
    council, seats, secretary = council9
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1), start=False)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.DRAFT)
    client.force_login(seats[1].user)
    assert client.get(reverse("councils:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("councils:item_detail", args=[item.pk])).status_code == 404
    client.force_login(office)
    assert client.get(reverse("councils:meeting_detail", args=[meeting.pk])).status_code == 200
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.SCHEDULED)
    newcomer = CouncilMemberFactory(council=council)
    client.force_login(newcomer.user)
    assert client.get(reverse("councils:home")).status_code == 200  # a seat: the council's pages are theirs
    assert client.get(reverse("councils:meeting_detail", args=[meeting.pk])).status_code == 404
    client.force_login(seats[1].user)
    assert client.get(reverse("councils:meeting_detail", args=[meeting.pk])).status_code == 200


@pytest.mark.django_db
def test_the_chairs_the_secretarys_and_the_offices_actions_refuse_a_member(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2),
                             statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=items[:1])
    member = seats[4].user
    client.force_login(member)
    refused = [
        ("post", reverse("councils:voting_open", args=[items[1].pk])),
        ("get", reverse("councils:voting_close", args=[items[0].pk])),
        ("post", reverse("councils:voting_close", args=[items[0].pk])),
        ("post", reverse("councils:voting_open_group", args=[meeting.pk])),
        ("get", reverse("councils:voting_close_group", args=[meeting.pk])),
        ("get", reverse("councils:paper_entry", args=[items[1].pk])),
        ("get", reverse("councils:written_opinion", args=[items[0].pk])),
        ("get", reverse("councils:item_defer", args=[items[1].pk])),
        ("get", reverse("councils:vote_repeat", args=[items[0].pk])),
        ("get", reverse("councils:attendance", args=[meeting.pk])),
        ("get", reverse("councils:agenda_builder", args=[meeting.pk])),
        ("get", reverse("councils:readings", args=[meeting.pk])),
        ("get", reverse("councils:item_remove", args=[items[1].pk])),
        ("get", reverse("councils:meeting_create")),
        ("get", reverse("councils:rule_create")),
        ("get", reverse("councils:council_create")),
        ("get", reverse("councils:member_add", args=[council.pk])),
        ("get", reverse("councils:member_edit", args=[seats[4].pk])),
        ("get", reverse("councils:meeting_transition", args=[meeting.pk, MeetingState.CLOSED])),
    ]
    for method, url in refused:
        assert getattr(client, method)(url).status_code == 403, url
    # a member may recuse only themselves
    html = client.get(reverse("councils:recusal_add", args=[items[1].pk])).content.decode()
    assert html.count("<option value=") == 2 and f'<option value="{seats[4].pk}" selected>' in html
    response = client.post(reverse("councils:recusal_add", args=[items[1].pk]), {"member": seats[5].pk, "reason": "x"})
    assert "Hãy chọn một lựa chọn hợp lệ." in response.content.decode()
    # the office, without a seat, does not vote
    client.force_login(office)
    response = client.post(reverse("councils:vote", args=[items[0].pk]), {"choice": "yes", "confirm": "1"})
    assert response.status_code == 403
    assert Participation.objects.count() == 0


# ---------------------------------------------------------------- secret choices: the pages do not depend on them

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _pages(meeting, item, viewers):
    """Every page about the vote, for every viewer (the csrf token blanked)."""
    urls = [reverse("councils:meeting_detail", args=[meeting.pk]), reverse("councils:item_detail", args=[item.pk]),
            reverse("councils:meeting_summary", args=[meeting.pk]), reverse("councils:home"), reverse("home")]
    rendered = {}
    for viewer in viewers:
        client = Client()
        client.force_login(viewer)
        for url in urls:
            rendered[(viewer.username, url)] = CSRF.sub("", client.get(url).content.decode())
        rendered[(viewer.username, "htmx")] = CSRF.sub("", client.get(urls[1], HTTP_HX_REQUEST="true").content.decode())
    return rendered


def _run(office, seats, secretary, item, meeting, choices):
    """Open, cast ``choices`` (seats 1…), render; close, render; all inside a savepoint rolled back."""
    viewers = [seats[0].user, seats[1].user, seats[2].user, seats[5].user, secretary.user, office]
    with transaction.atomic():
        services.voting_open(actor=seats[0].user, items=[item])
        for seat, choice in zip(seats[1:], choices, strict=False):
            services.vote_cast(actor=seat.user, item=item, choice=choice)
        during = _pages(meeting, item, viewers)
        services.voting_close(actor=seats[0].user, items=[item])
        after = _pages(meeting, item, viewers)
        transaction.set_rollback(True)
    return during, after


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "identical"), [("secret", True), ("open", False)])
def test_no_page_depends_on_who_chose_what_in_a_secret_ballot(office, council9, method, identical):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=method, base="present", threshold=Decimal("50"))
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                              statuses=present(seats[:7]))
    yes, no = Choice.YES, Choice.NO
    first = _run(office, seats, secretary, item, meeting, [yes, no, yes])
    second = _run(office, seats, secretary, item, meeting, [no, yes, yes])
    differing = [sorted(key for key in one if one[key] != other[key]) for one, other in zip(first, second, strict=True)]
    if identical:
        assert differing == [[], []]
    else:  # the control: an open vote's choices are public, in the results of every page that shows them
        item_page = reverse("councils:item_detail", args=[item.pk])
        assert differing[1] == sorted((viewer, page) for viewer in {k[0] for k in first[1]}
                                      for page in (item_page, reverse("councils:meeting_summary", args=[meeting.pk]), "htmx"))
        assert f"{seats[1].person.full_name}: <strong>Đồng ý</strong>" in first[1][(seats[5].user.username, item_page)]
        assert f"{seats[1].person.full_name}: <strong>Không đồng ý</strong>" in second[1][(seats[5].user.username, item_page)]
