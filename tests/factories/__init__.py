"""Factories with no surprising behaviour: what you pass is what you get."""

import datetime

import factory
from django.contrib.auth import get_user_model

from movements.enums import Gender, UnitKind
from movements.models import DisciplineRecord, PerformanceRating, Person, PositionAssignment, Unit
from tdkt.enums import Role

PASSWORD = "mat-khau-thu-nghiem-1"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Phòng Thử nghiệm {n}")
    short_code = factory.Sequence(lambda n: f"P{n}")
    kind = UnitKind.DIVISION
    parent = factory.LazyFunction(lambda: Unit.objects.filter(kind=UnitKind.AGENCY).first() or AgencyUnitFactory())


class AgencyUnitFactory(UnitFactory):
    name = "Sở Thử nghiệm"
    short_code = "SO"
    kind = UnitKind.AGENCY
    parent = None

    class Meta:
        model = Unit
        django_get_or_create = ["short_code"]


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with an open position assignment mirroring their current post."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    name_folded = factory.LazyAttribute(lambda o: __import__("tdkt.text", fromlist=["fold"]).fold(o.full_name))
    gender = Gender.MALE
    date_of_birth = datetime.date(1985, 5, 17)
    unit = factory.SubFactory(UnitFactory)
    position_title = "Chuyên viên"
    is_leadership = False
    is_head = False
    active = True

    @factory.post_generation
    def position(obj, create, extracted, **kwargs):
        if create:
            PositionAssignment.objects.create(
                person=obj, unit=obj.unit, title=obj.position_title, is_leadership=obj.is_leadership,
                is_head=obj.is_head, start_date=extracted or datetime.date(2015, 1, 1),
                end_date=None if obj.active else datetime.date(2020, 1, 1),
            )


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceRating

    person = factory.SubFactory(PersonFactory)
    year = 2024
    rating = "HTTNV"


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisciplineRecord

    person = factory.SubFactory(PersonFactory)
    kind = "reprimand"
    start_date = datetime.date(2024, 1, 1)
    end_date = datetime.date(2024, 12, 31)
    reason = "Lý do thử nghiệm"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.OFFICE
    unit = None
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitUserFactory(UserFactory):
    role = Role.UNIT
    unit = factory.SubFactory(UnitFactory)
