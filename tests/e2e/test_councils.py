"""Browser journey of the council issue: three members on their own screens. The chair opens the vote on a title group;
two members vote from their own logins (one with the ballot on a desktop, one item by item on a phone); the chair
watches the turnout arrive without reloading and closes; the result appears for everyone, and the nominations have
moved to “Hội đồng thông qua”."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from councils.enums import VotingMethod
from nominations.enums import NominationState
from nominations.models import Nomination
from tests.factories import PASSWORD, UserFactory
from tests.factories.councils import make_council, present, reseed_voting_rules, rule_for, sitting, vetted
from tests.factories.nominations import reseed_catalogues, title

pytestmark = pytest.mark.django_db(transaction=True)

LIVE = 10_000  # ms: the live parts refresh every 3 s


@pytest.fixture
def contexts(browser, browser_context_args):
    made = []

    def new(**overrides):
        context = browser.new_context(**{**browser_context_args, **overrides})
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()


def test_the_chair_opens_two_members_vote_on_their_screens_the_chair_closes(contexts, live_server, login):
    reseed_catalogues()
    reseed_voting_rules()
    office = UserFactory(role="office", full_name="Chuyên viên Văn phòng")
    council, seats, secretary = make_council(3)
    chair, first, second = seats
    for seat in seats:  # the factory's seats skip hashing a password (other tests log in by force): these log in for real
        seat.user.set_password(PASSWORD)
        seat.user.save(update_fields=["password"])
    rule_for(title("LDTT"), method=VotingMethod.SECRET, base="present", threshold=Decimal("50"))
    meeting, items = sitting(office=office, council=council, chair=chair, secretary=secretary, nominations=vetted(2),
                             statuses=present(seats))
    subjects = [item.nomination.person.full_name for item in items]
    meeting_path = f"{live_server.url}/hoi-dong/phien-hop/{meeting.pk}/"
    item_paths = [f"{live_server.url}/hoi-dong/noi-dung/{item.pk}/" for item in items]

    # The chair, on a desktop, opens the vote on the whole LĐTT group.
    chair_page = login(contexts(), chair.user)
    chair_page.get_by_role("link", name="Hội đồng", exact=True).click()
    chair_page.get_by_role("link", name="Phiên họp xét khen thưởng").first.click()
    expect(chair_page.locator("#quorum")).to_contain_text("Đủ số thành viên: có mặt 3/3 thành viên có quyền biểu quyết")
    chair_page.get_by_role("button", name="Mở biểu quyết cả nhóm (2)").click()
    expect(chair_page.get_by_role("status")).to_contain_text("Đã mở biểu quyết 2 nội dung: Lao động tiên tiến.")
    chair_page.goto(item_paths[0])
    expect(chair_page.locator("#item-state")).to_contain_text("Đã biểu quyết: 0/3 thành viên")

    # The first member, on a desktop: the home page says what waits, the ballot takes both items at once.
    first_page = login(contexts(), first.user)
    expect(first_page.locator(".home-council .stat-link.waiting")).to_contain_text("nội dung đang chờ bạn biểu quyết")
    expect(first_page.locator(".home-council .stat-link.waiting .stat")).to_have_text("2")
    first_page.goto(meeting_path)
    first_page.get_by_role("link", name="Mở phiếu biểu quyết").click()
    for subject in subjects:
        first_page.get_by_role("radiogroup", name=subject).get_by_label("Đồng ý", exact=True).check()
    first_page.get_by_role("button", name="Tiếp tục").click()
    expect(first_page.locator(".vote-summary")).to_contain_text(f"{subjects[0]} – Lao động tiên tiến: Đồng ý")
    first_page.get_by_role("button", name="Xác nhận biểu quyết").click()
    expect(first_page.get_by_role("status")).to_contain_text("Đã ghi nhận 2 ý kiến biểu quyết của bạn.")

    # The chair's screen follows without a reload: a secret ballot shows the turnout, never a choice.
    expect(chair_page.locator("#item-state")).to_contain_text("Đã biểu quyết: 1/3 thành viên", timeout=LIVE)
    expect(chair_page.locator("#item-state")).not_to_contain_text("Đồng ý:")

    # The second member, on a phone, item by item, each with its confirmation.
    second_page = login(contexts(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True), second.user)
    for path in item_paths:
        second_page.goto(path)
        second_page.get_by_role("button", name="Đồng ý", exact=True).click()
        expect(second_page.get_by_role("heading", name="Xác nhận biểu quyết")).to_be_visible()
        second_page.get_by_role("button", name="Xác nhận biểu quyết").click()
        expect(second_page.locator("#item-state")).to_contain_text("Bạn đã biểu quyết nội dung này.")
    assert second_page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    expect(chair_page.locator("#item-state")).to_contain_text("Đã biểu quyết: 2/3 thành viên", timeout=LIVE)
    first_page.goto(item_paths[1])  # the first member keeps an item page open while the chair closes

    # The chair closes the group from the meeting page, on a page that shows the turnout.
    chair_page.goto(meeting_path)
    chair_page.get_by_role("link", name="Kết thúc biểu quyết cả nhóm (2)").click()
    expect(chair_page.locator("table")).to_contain_text("2/3")
    chair_page.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(chair_page.get_by_role("status")).to_contain_text("Đã kết thúc biểu quyết 2 nội dung.")

    # The result reaches everyone: the open pages refresh themselves.
    for page in (first_page, second_page):
        expect(page.locator("#item-state .result-line")).to_contain_text("Đạt", timeout=LIVE)
        expect(page.locator("#item-state")).to_contain_text("Đồng ý 2/3 (66,67%), không đồng ý 0, không biểu quyết 0")
    expect(chair_page.locator("#meeting-state")).to_contain_text("đồng ý 2/3 (66,67%)")
    assert set(Nomination.objects.filter(pk__in=[i.nomination_id for i in items]).values_list("state", flat=True)) == {
        NominationState.COUNCIL_PASSED}
    first_page.goto(f"{live_server.url}/de-nghi/{items[0].nomination_id}/")
    expect(first_page.locator("h1 .badge")).to_have_text("Hội đồng thông qua")
    expect(first_page.get_by_role("link", name=re.compile("Hội đồng xét tại “Phiên họp xét khen thưởng”"))).to_contain_text("Đạt")
