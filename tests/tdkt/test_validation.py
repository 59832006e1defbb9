"""``tdkt.validation.clean_many``: Django's model validation for a list, the same verdict as ``full_clean`` of each
object in a number of queries that does not grow with the list."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from movements.models import Person
from nominations.models import AwardRecord, BaseSalary, Nomination, NominationRound
from tdkt.models import User
from tdkt.validation import ManyValidationError, Unsupported, clean_many, condition_holds
from tests.factories import PersonFactory
from tests.factories.nominations import RoundFactory, SubmissionFactory, title

pytestmark = pytest.mark.integration


def _verdict(obj):
    """Django's own ``full_clean`` (a nomination's adds the rules engine: not what ``clean_many`` replaces)."""
    try:
        models.Model.full_clean(obj)
    except ValidationError as exc:
        return exc.message_dict
    return None


def _verdicts_many(objs):
    errors = clean_many(objs)
    return [errors[i].message_dict if i in errors else None for i in range(len(objs))]


# ---------------------------------------------------------------- check constraints evaluated in Python

def _constraint_cases():
    """(model, constraint, objects): every combination of the values each project constraint below reads."""
    nomination = Nomination._meta
    subject = [(1, None), (None, 1), (1, 1), (None, None)]
    award = [(1, None), (None, 1), (1, 1), (None, None)]
    for (person, unit), (title_id, form) in itertools.product(subject, award):
        yield from ((Nomination, c, Nomination(person_id=person, unit_id=unit, title_id=title_id, form_id=form))
                    for c in nomination.constraints)
    for kind, deadline, campaign, year in itertools.product(["annual", "ad_hoc", "thematic"], [None, datetime.date(2025, 12, 1)],
                                                            [None, 1], [None, 1989, 1990, 2100, 2101]):
        yield from ((NominationRound, c, NominationRound(kind=kind, deadline=deadline, campaign_id=campaign, year=year))
                    for c in NominationRound._meta.constraints)
    for role, unit in itertools.product(["unit", "office", ""], [None, 1]):
        yield from ((User, c, User(role=role, unit_id=unit)) for c in User._meta.constraints)


def _database_says(model, constraint, obj):
    """Django's own check of the constraint: a query (UNKNOWN passes, as in a CHECK)."""
    try:
        constraint.validate(model, obj)
    except ValidationError:
        return False
    return True


@pytest.mark.django_db
def test_check_constraints_evaluated_in_python_agree_with_the_database():
    cases = list(_constraint_cases())
    assert len(cases) == 16 * 2 + 3 * 2 * 2 * 5 * 4 + 3 * 2
    verdicts = [(condition_holds(model, obj, c.condition), _database_says(model, c, obj)) for model, c, obj in cases]
    assert [python for python, _db in verdicts] == [db for _python, db in verdicts]
    assert {db for _python, db in verdicts} == {True, False}


def test_what_needs_the_database_is_not_guessed():
    with pytest.raises(Unsupported):
        condition_holds(Nomination, Nomination(), Q(round__year__gte=2000))  # across a relation
    with pytest.raises(Unsupported):
        condition_holds(Nomination, Nomination(), Q(achievement_summary__icontains="x"))  # a lookup it does not know


# ---------------------------------------------------------------- the same verdict as full_clean, bounded queries

@pytest.fixture
def sub_a(unit_a):
    return SubmissionFactory(round=RoundFactory(), unit=unit_a)


@pytest.fixture
def bad_nominations(sub_a, person_a, unit_a):
    ldtt, ttldtt = title("LDTT"), title("TTLDTT")
    return [
        Nomination(round=sub_a.round, submission=sub_a, person=person_a, title=ldtt),                   # valid
        Nomination(round=sub_a.round, submission=sub_a, person_id=987654, title=ldtt),                  # no such person
        Nomination(round=sub_a.round, submission=sub_a, person=person_a, unit=unit_a, title=ldtt),      # two subjects
        Nomination(round=sub_a.round, submission=sub_a, person=person_a),                               # no award
        Nomination(round=sub_a.round, submission=sub_a, person=person_a, title=ttldtt),                 # a unit's title
        Nomination(round=sub_a.round, submission=sub_a, person=person_a, title=ldtt, state="nonsense"),  # not a state
        Nomination(round_id=987654, submission=sub_a, person=person_a, title=ldtt),                     # no such round
    ]


def test_clean_many_judges_each_object_as_full_clean_does(bad_nominations):
    expected = [_verdict(n) for n in bad_nominations]
    assert expected[0] is None and all(expected[1:])
    assert expected[1] == {"person": ["cá nhân instance with id 987654 is not a valid choice."]}
    assert _verdicts_many(bad_nominations) == expected


def test_clean_many_asks_the_database_a_constant_number_of_times(sub_a, unit_a, django_assert_num_queries):
    people = PersonFactory.create_batch(30, unit=unit_a)
    ldtt = title("LDTT")

    def nominations(n):
        return [Nomination(round=sub_a.round, submission=sub_a, person=p, title=ldtt) for p in people[:n]]

    few, many = nominations(3), nominations(30)
    with django_assert_num_queries(4):  # round, submission, person, title: one query per foreign key used
        assert clean_many(few) == {}
    with django_assert_num_queries(4):
        assert clean_many(many) == {}


def test_unique_checks_for_the_list_in_one_query_and_clashes_within_it(db, django_assert_num_queries):
    BaseSalary.objects.create(amount=2_900_000, effective_from=datetime.date(2031, 7, 1))
    salaries = [BaseSalary(amount=2_900_000, effective_from=datetime.date(2031, 7, 1)),   # already stored
                BaseSalary(amount=3_100_000, effective_from=datetime.date(2032, 7, 1)),
                BaseSalary(amount=3_100_000, effective_from=datetime.date(2032, 7, 1))]   # twice in the list
    expected = _verdict(salaries[0])
    assert expected == {"effective_from": ["Lương cơ sở có Áp dụng từ đã tồn tại."]}
    with django_assert_num_queries(1):
        errors = clean_many(salaries)
    assert [errors[i].message_dict if i in errors else None for i in range(3)] == [expected, None, expected]


def test_a_constraint_python_cannot_evaluate_is_left_to_django(person_a, django_assert_num_queries):
    """``AwardRecord``'s unique constraints with a condition are validated by Django, per object: same verdict."""
    ldtt = title("LDTT")
    AwardRecord.objects.create(person=person_a, title=ldtt, year=2023)
    records = [AwardRecord(person=person_a, title=ldtt, year=2023), AwardRecord(person=person_a, title=ldtt, year=2022),
               AwardRecord(person=person_a, title=ldtt, year=1980)]
    expected = [_verdict(r) for r in records]
    assert expected == [{"__all__": ["Cá nhân này đã có danh hiệu này trong năm đó."]}, None,
                        {"__all__": ["Năm không hợp lệ."]}]
    assert _verdicts_many(records) == expected


def test_many_validation_error_keeps_each_objects_error_in_list_order():
    error = ManyValidationError({2: ValidationError("b"), 0: ValidationError({"person": ["a"]})})
    assert list(error.by_index) == [0, 2]
    assert error.messages == ["a", "b"]


def test_nothing_to_check_asks_nothing(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert clean_many([]) == {}
    assert Person.objects.count() == 0
