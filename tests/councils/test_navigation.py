"""The council in the menu, on the home page, and on the nominations' pages (``councils/navigation.py``, the home block
of ``selectors.home_summary``): what waits for a member, the link from a nomination to its agenda item, and the council
step that is no longer a button of the nominations' pages."""

import pytest
from django.urls import reverse

from councils import services
from nominations.enums import NominationState
from tdkt.roles import Role
from tests.factories import UnitUserFactory, UserFactory
from tests.factories.councils import present, rule_for, sitting, vetted
from tests.factories.nominations import NominationFactory, SubmissionFactory, title

pytestmark = pytest.mark.integration

MENU = '<a href="/hoi-dong/"'


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_the_menu_names_the_council_for_the_office_and_the_members_only(client, office, council9):
    _council, seats, _secretary = council9
    assert MENU in home(client, office)
    assert MENU in home(client, seats[4].user)
    assert MENU not in home(client, UserFactory(role=Role.COUNCIL))  # a council account without a seat
    assert MENU not in home(client, UnitUserFactory())


def test_the_members_home_shows_what_waits_for_them(client, office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"))
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(3),
                             statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=items[:1])
    html = home(client, seats[4].user)
    assert '<div class="stat">1</div>nội dung đang chờ bạn biểu quyết' in html
    assert '<div class="stat">3</div>hồ sơ cần xem trước phiên họp' in html
    assert f'<a href="{reverse("councils:meeting_detail", args=[meeting.pk])}">Phiên họp xét khen thưởng</a>' in html
    html = client.get(reverse("councils:home")).content.decode()
    assert html.count(reverse("councils:item_detail", args=[items[0].pk])) == 2  # to vote, and to review
    assert html.count("chưa xem") == 3
    client.get(reverse("councils:item_detail", args=[items[1].pk]))
    assert client.get(reverse("councils:home")).content.decode().count("chưa xem") == 2
    html = home(client, office)  # the office: the coming meetings, no votes of its own
    assert "Phiên họp xét khen thưởng" in html and "nội dung đang chờ bạn biểu quyết" not in html


def test_a_nomination_at_the_council_links_to_its_agenda_item_and_offers_no_council_button(client, office, council9):
    council, seats, secretary = council9
    [nomination] = vetted(1)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[nomination],
                               start=False)
    link = reverse("councils:item_detail", args=[item.pk])
    url = reverse("nominations:nomination_detail", args=[nomination.pk])
    for user in (office, seats[2].user):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert f'<a href="{link}">Hội đồng xét tại “Phiên họp xét khen thưởng” (15/01/2026): Chờ biểu quyết</a>' in html
        for label in ("Đưa ra Hội đồng", "Hội đồng thông qua", "Hội đồng không thông qua", "Rút khỏi chương trình họp"):
            assert f">{label}</a>" not in html, label
    head = UnitUserFactory(unit=nomination.submission.unit)
    client.force_login(head)
    html = client.get(url).content.decode()
    assert link not in html
    for state in (NominationState.AT_COUNCIL, NominationState.COUNCIL_PASSED, NominationState.COUNCIL_REJECTED):
        client.force_login(office)
        assert client.get(reverse("nominations:nomination_transition", args=[nomination.pk, state])).status_code in (403, 404)


def test_the_vetting_queue_offers_only_the_vetting_steps(client, office):
    submission = SubmissionFactory()
    NominationFactory(submission=submission, title=title("LDTT"), state=NominationState.SUBMITTED)
    client.force_login(office)
    html = client.get(reverse("nominations:vetting_queue")).content.decode()
    options = html.split('id="id_bulk_action">')[1].split("</select>")[0]
    assert options == ('<option value="vetted_pass">Thẩm định đạt</option><option value="vetted_fail">Thẩm định không đạt</option>'
                       '<option value="returned">Trả lại đơn vị</option>')
