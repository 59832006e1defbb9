"""Who is who (tdkt/roles.py): the one place the apps' predicates, selectors and guards ask."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from movements.models import Person
from tdkt import guards, roles
from tdkt.roles import Role
from tests.factories import PersonFactory, UnitUserFactory, UserFactory

pytestmark = pytest.mark.integration

CHECKS = ["is_active_account", "is_admin_user", "is_office_user", "is_council_member", "is_unit_head", "reads_every_unit",
          "sees_unsent_work"]


@pytest.fixture
def people(unit_a, unit_b):
    return {
        "admin": UserFactory(role=Role.ADMIN),
        "superuser": UserFactory(role=Role.COUNCIL, is_superuser=True),
        "office": UserFactory(role=Role.OFFICE),
        "council": UserFactory(role=Role.COUNCIL),
        "head": UnitUserFactory(unit=unit_a),
        "inactive office": UserFactory(role=Role.OFFICE, is_active=False),
        "inactive head": UnitUserFactory(unit=unit_a, is_active=False),
        "anonymous": AnonymousUser(),
    }


EXPECTED = {  # in the order of CHECKS
    "admin": [True, True, True, False, False, True, True],
    "superuser": [True, True, True, True, False, True, True],
    "office": [True, False, True, False, False, True, True],
    "council": [True, False, False, True, False, True, False],
    "head": [True, False, False, False, True, False, True],
    "inactive office": [False] * 7,
    "inactive head": [False] * 7,
    "anonymous": [False] * 7,
}


def test_each_role_answers_each_question(people):
    answers = {name: [getattr(roles, check)(user) for check in CHECKS] for name, user in people.items()}
    assert answers == EXPECTED


def test_own_unit_and_writing_for_a_unit(people, unit_a, unit_b, person_a, person_b):
    head = people["head"]
    assert (roles.owns(head, person_a), roles.owns(head, person_b), roles.owns(people["office"], person_a)) == (True, False, False)
    assert (roles.in_own_unit.test(head, unit_a), roles.in_own_unit.test(head, unit_b), roles.in_own_unit.test(head, None)) == (
        True, False, False)
    assert [roles.writes_for_unit(people[n], unit_a) for n in ("office", "council", "head", "inactive head")] == [True, False, True, False]
    assert roles.writes_for_unit(head, unit_b) is False
    assert roles.writes_for_unit(head, unit_a.pk) is True


def test_scoping_a_list(people, person_a, person_b):
    qs = Person.objects.order_by("pk")
    assert list(roles.scope_to_unit(qs, people["council"], "unit")) == [person_a, person_b]
    assert list(roles.scope_to_unit(qs, people["head"], "unit")) == [person_a]
    assert list(roles.scope_to_unit(qs, people["anonymous"], "unit")) == []
    assert list(roles.scope_to_own_unit(qs, people["council"], "unit")) == []
    assert list(roles.scope_to_own_unit(qs, people["office"], "unit")) == [person_a, person_b]
    assert list(roles.scope_to_own_unit(qs, people["head"], "unit_id")) == [person_a]


def test_guards_refuse_with_a_message_and_let_the_system_through(people, unit_a, unit_b):
    guards.require_office(None)
    guards.require_office(people["office"])
    with pytest.raises(PermissionDenied, match="Chỉ Văn phòng Sở được thực hiện thao tác này."):
        guards.require_office(people["head"])
    guards.require_unit_scope(people["head"], unit_a)
    with pytest.raises(PermissionDenied, match="Bạn chỉ được cập nhật dữ liệu của đơn vị mình."):
        guards.require_unit_scope(people["head"], unit_b)
    with pytest.raises(PermissionDenied, match="Chỉ Quản trị hệ thống"):
        guards.require_admin(people["office"])
    guards.require(roles.is_council, people["council"])
    with pytest.raises(PermissionDenied, match="Không được"):
        guards.require(roles.in_own_unit, people["head"], PersonFactory(unit=unit_b), "Không được")
    guards.require(lambda user, obj: obj == "x", people["head"], "x")


def test_templates_ask_the_user_not_the_role_name(people):
    assert (people["head"].is_unit_head, people["council"].is_council_member, people["office"].is_office) == (True, True, True)
    assert (people["office"].is_unit_head, people["head"].is_council_member) == (False, False)


def test_who_manages_the_council_and_who_may_sit_on_it(people):
    answers = {name: (roles.manages_councils(user), roles.may_sit_on_council(user), roles.manages_council.test(user))
               for name, user in people.items()}
    assert answers == {
        "admin": (True, False, True), "superuser": (True, True, True), "office": (True, True, True),
        "council": (False, True, False), "head": (False, False, False), "inactive office": (False, False, False),
        "inactive head": (False, False, False), "anonymous": (False, False, False)}
