"""Factories for campaigns, registrations and clusters. What you pass is what you get."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from movements.enums import (
    CampaignKind,
    CampaignLevel,
    CampaignStatus,
    ClusterState,
    CriterionKind,
    RegistrationState,
)
from movements.models import (
    Campaign,
    CampaignDocument,
    Cluster,
    ClusterMember,
    ClusterScore,
    RegisteredInitiative,
    Registration,
    RegistrationEntry,
    RegistrationWindow,
    ScoringCriterion,
    ScoringSection,
)
from nominations.models import EmulationTitle
from tests.factories import PersonFactory, UnitFactory


def title(code):
    """A seeded catalogue entry (LDTT, CSTDCS, TTLDTT, TTLDXS, CO_TINH…)."""
    return EmulationTitle.objects.get(code=code)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Phong trào thi đua thử nghiệm {n}")
    level = CampaignLevel.PROVINCE
    kind = CampaignKind.THEMATIC
    start_year = 2022
    end_year = 2025
    status = CampaignStatus.DRAFT


class CampaignDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignDocument

    campaign = factory.SubFactory(CampaignFactory)
    kind = "plan"
    title = "Kế hoạch thực hiện phong trào"
    number = "01/KH-SKHCN"


class RegistrationWindowFactory(factory.django.DjangoModelFactory):
    """Open today by default: from 30 days ago to 30 days ahead."""

    class Meta:
        model = RegistrationWindow
        django_get_or_create = ["year"]

    year = 2026
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    required_for_nomination = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    window = factory.SubFactory(RegistrationWindowFactory)
    unit = factory.SubFactory(UnitFactory)
    state = RegistrationState.DRAFT


class RegistrationEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationEntry

    registration = factory.SubFactory(RegistrationFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(unit=o.registration.unit))
    title = factory.LazyFunction(lambda: title("LDTT"))


class RegisteredInitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegisteredInitiative

    registration = factory.SubFactory(RegistrationFactory)
    title = "Giải pháp số hoá hồ sơ"
    owner = factory.LazyAttribute(lambda o: PersonFactory(unit=o.registration.unit))


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    year = 2024
    name = factory.Sequence(lambda n: f"Cụm thi đua số {n}")
    state = ClusterState.SETUP


class ClusterMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMember

    cluster = factory.SubFactory(ClusterFactory)
    unit = factory.SubFactory(UnitFactory)


class ScoringSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoringSection

    cluster = factory.SubFactory(ClusterFactory)
    order = 1
    name = "I. Thực hiện nhiệm vụ chuyên môn"


class ScoringCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoringCriterion

    section = factory.SubFactory(ScoringSectionFactory)
    order = 1
    name = factory.Sequence(lambda n: f"Tiêu chí {n}")
    max_score = Decimal("10")
    kind = CriterionKind.STANDARD


class ClusterScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterScore

    criterion = factory.SubFactory(ScoringCriterionFactory)
    cluster = factory.LazyAttribute(lambda o: o.criterion.section.cluster)
    unit = factory.SubFactory(UnitFactory)
    self_score = Decimal("8")
    agreed_score = None


def scoring_cluster(*, units, leader=None, deputy=None, criteria=(("Hoàn thành nhiệm vụ", "30", "standard"),
                                                                   ("Công tác thi đua", "10", "standard"),
                                                                   ("Điểm thưởng", "5", "bonus"),
                                                                   ("Điểm trừ", "5", "penalty")),
                    state=ClusterState.SCORING, year=2024):
    """A cluster with its members, one section with ``criteria`` and the given state."""
    cluster = ClusterFactory(year=year, leader_unit=leader, deputy_unit=deputy, state=state)
    for unit in units:
        ClusterMemberFactory(cluster=cluster, unit=unit)
    section = ScoringSectionFactory(cluster=cluster)
    made = [ScoringCriterionFactory(section=section, name=name, max_score=Decimal(maximum), kind=kind, order=i)
            for i, (name, maximum, kind) in enumerate(criteria, start=1)]
    return cluster, made


def ensure_catalogues():
    """Re-seed the catalogues and rules (data migrations) after a transactional test flushed them."""
    from tests.factories.nominations import reseed_catalogues

    reseed_catalogues()
