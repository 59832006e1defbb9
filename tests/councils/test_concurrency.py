"""Votes under concurrency (PostgreSQL only: SQLite serialises writers and ignores ``select_for_update``, so the locks and
the unique participation can only be proven there).

Two simultaneous votes by one member: exactly one is counted. A vote racing the chair's close: either counted in the
result or refused, never lost or counted after the close.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from councils import services
from councils.enums import Choice, VotingBase, VotingMethod
from councils.models import BallotBox, Participation, VoteRound
from tests.factories import UserFactory
from tests.factories.councils import make_council, present, reseed_voting_rules, rule_for, sitting, vetted
from tests.factories.nominations import reseed_catalogues, title

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL: SQLite bỏ qua select_for_update và tuần tự hoá mọi lần ghi nên không kiểm chứng được "
                    "(chạy với DATABASE_URL=postgres://…).")


@pytest.fixture
def open_secret_vote(postgresql_only):
    reseed_catalogues()
    reseed_voting_rules()
    office = UserFactory(role="office", password=None)
    council, seats, secretary = make_council(9)
    rule_for(title("LDTT"), method=VotingMethod.SECRET, base=VotingBase.PRESENT)
    _meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                               statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=[item])
    return item, seats


def race(*calls):
    """Run ``calls`` at the same moment, each in its own thread (and connection); their outcomes in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[index] = "ok"
        except ValidationError as exc:
            outcomes[index] = exc.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_simultaneous_votes_by_one_member_count_once(open_secret_vote):
    item, seats = open_secret_vote
    member = seats[3]
    outcomes = race(lambda: services.vote_cast(actor=member.user, item=item, choice=Choice.YES),
                    lambda: services.vote_cast(actor=member.user, item=item, choice=Choice.NO))
    assert sorted(outcomes) == ["Bạn đã biểu quyết nội dung này.", "ok"]
    box = BallotBox.objects.get()
    assert (Participation.objects.filter(member=member).count(), box.yes_count + box.no_count + box.abstain_count) == (1, 1)


def test_many_members_at_once_every_vote_counted(open_secret_vote):
    item, seats = open_secret_vote
    outcomes = race(*[lambda seat=seat: services.vote_cast(actor=seat.user, item=item, choice=Choice.YES) for seat in seats])
    assert outcomes == ["ok"] * 9
    assert BallotBox.objects.values_list("yes_count", flat=True).get() == 9


def test_a_vote_racing_the_close_is_counted_or_refused_never_lost(open_secret_vote):
    item, seats = open_secret_vote
    for seat in seats[:5]:
        services.vote_cast(actor=seat.user, item=item, choice=Choice.YES)
    outcomes = race(lambda: services.vote_cast(actor=seats[5].user, item=item, choice=Choice.YES),
                    lambda: services.voting_close(actor=seats[0].user, items=[item]))
    vote_round = VoteRound.objects.get()
    assert outcomes[1] == "ok"
    counted = Participation.objects.filter(round=vote_round).count()
    assert vote_round.yes_count == counted
    if outcomes[0] == "ok":
        assert counted == 6
    else:
        assert (outcomes[0], counted) == (f"“{item}” không đang biểu quyết (việc biểu quyết chưa mở hoặc đã kết thúc).", 5)
