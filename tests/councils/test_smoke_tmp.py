import pytest
from councils import services
from councils.enums import ItemState, Choice
from nominations.enums import NominationState
from tests.factories.councils import sitting, vetted, rule_for, present
from tests.factories.nominations import title

pytestmark = pytest.mark.django_db

def test_smoke(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), threshold=90, base="all")
    noms = vetted(2)
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=noms,
                             statuses=present(seats))
    services.voting_open(actor=seats[0].user, items=items)
    for s in seats:
        services.vote_cast(actor=s.user, item=items[0], choice=Choice.YES)
    services.voting_close(actor=seats[0].user, items=[items[0]])
    items[0].refresh_from_db()
    print(items[0].state, items[0].outcome, items[0].rounds.get().result_text)
    items[0].nomination.refresh_from_db()
    assert items[0].nomination.state == NominationState.COUNCIL_PASSED
