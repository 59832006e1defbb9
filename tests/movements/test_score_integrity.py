"""Nobody agrees their own score (the cluster leader's sheet is agreed by the deputy or the office), and a score
field takes finite decimals only (issue 8)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from movements import services
from movements.forms import ScoreSheetForm
from movements.models import ClusterScore
from tests.factories import UnitFactory, UnitUserFactory
from tests.factories.movements import scoring_cluster

pytestmark = pytest.mark.integration

D = Decimal
OWN_SHEET = ("Điểm thống nhất của đơn vị cụm trưởng do cụm phó hoặc Văn phòng Sở nhập: "
             "không đơn vị nào tự thống nhất điểm của mình.")


@pytest.fixture
def unit_c(db):
    return UnitFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", short_code="CCTDC")


@pytest.fixture
def cluster(unit_a, unit_b, unit_c):
    """Members A, B, C: C leads (cụm trưởng), B is deputy (cụm phó)."""
    cluster, criteria = scoring_cluster(units=[unit_a, unit_b, unit_c], leader=unit_c, deputy=unit_b)
    cluster.main = criteria[0]
    return cluster


@pytest.fixture
def leader_head(unit_c):
    return UnitUserFactory(unit=unit_c, username="truong_cctdc")


@pytest.fixture
def deputy_head(unit_b):
    return UnitUserFactory(unit=unit_b, username="truong_ttud")


def _sheet(cluster, unit):
    return reverse("movements:cluster_score_sheet", args=[cluster.pk, unit.pk])


def _agree(actor, cluster, unit, value="25"):
    return services.cluster_scores_save(actor=actor, cluster=cluster, unit=unit, agreed_scores={cluster.main.pk: (value, "")})


# ---------------------------------------------------------------- item 2: nobody agrees their own score

def test_leader_cannot_agree_its_own_sheet_in_the_service(cluster, unit_c, leader_head):
    with pytest.raises(ValidationError) as exc:
        _agree(leader_head, cluster, unit_c)
    assert exc.value.messages == [OWN_SHEET]
    assert not ClusterScore.objects.exists()


def test_leader_own_sheet_page_has_no_agreed_inputs_and_ignores_a_forged_post(client, cluster, unit_c, leader_head):
    client.force_login(leader_head)
    form = client.get(_sheet(cluster, unit_c)).context["form"]
    assert f"self_{cluster.main.pk}" in form.fields and f"agreed_{cluster.main.pk}" not in form.fields
    response = client.post(_sheet(cluster, unit_c), {f"self_{cluster.main.pk}": "29", f"agreed_{cluster.main.pk}": "30"})
    assert response.status_code == 302
    score = ClusterScore.objects.get(unit=unit_c)
    assert (score.self_score, score.agreed_score) == (D("29.00"), None)


def test_deputy_agrees_the_leaders_sheet_service_and_page(client, cluster, unit_c, deputy_head):
    _agree(deputy_head, cluster, unit_c, "24,5")
    assert ClusterScore.objects.get(unit=unit_c).agreed_score == D("24.50")
    client.force_login(deputy_head)
    response = client.get(_sheet(cluster, unit_c))
    assert response.status_code == 200
    form = response.context["form"]
    assert f"agreed_{cluster.main.pk}" in form.fields and f"self_{cluster.main.pk}" not in form.fields
    assert "Với vai trò cụm phó" in response.content.decode()
    client.post(_sheet(cluster, unit_c), {f"agreed_{cluster.main.pk}": "26"})
    assert ClusterScore.objects.get(unit=unit_c).agreed_score == D("26.00")
    detail = client.get(reverse("movements:cluster_detail", args=[cluster.pk])).content.decode()
    assert _sheet(cluster, unit_c) in detail  # the deputy finds the leader's sheet from the cluster page


def test_deputy_agrees_only_the_leaders_sheet(client, cluster, unit_a, unit_b, deputy_head):
    for unit in (unit_a, unit_b):  # another member, and the deputy's own sheet
        with pytest.raises(ValidationError) as exc:
            _agree(deputy_head, cluster, unit)
        assert exc.value.messages == ["Chỉ cụm trưởng hoặc Văn phòng Sở được nhập điểm thống nhất."]
    client.force_login(deputy_head)
    assert client.get(_sheet(cluster, unit_a)).status_code == 404
    assert f"agreed_{cluster.main.pk}" not in client.get(_sheet(cluster, unit_b)).context["form"].fields
    assert not ClusterScore.objects.exists()


def test_leader_still_agrees_the_other_members_sheets(client, cluster, unit_a, unit_b, leader_head):
    _agree(leader_head, cluster, unit_a, "20")
    client.force_login(leader_head)
    client.post(_sheet(cluster, unit_b), {f"agreed_{cluster.main.pk}": "21"})
    assert sorted(ClusterScore.objects.values_list("unit__short_code", "agreed_score")) == [("QLKH", D("20")), ("TTUD", D("21"))]


def test_office_agrees_the_leaders_sheet(cluster, unit_c, office_user):
    _agree(office_user, cluster, unit_c, "27")
    assert ClusterScore.objects.get(unit=unit_c).agreed_score == D("27.00")


def test_without_a_deputy_only_the_office_agrees_the_leaders_sheet(unit_a, unit_c, leader_head, office_user):
    cluster, criteria = scoring_cluster(units=[unit_a, unit_c], leader=unit_c)
    with pytest.raises(ValidationError):
        services.cluster_scores_save(actor=leader_head, cluster=cluster, unit=unit_c, agreed_scores={criteria[0].pk: ("1", "")})
    services.cluster_scores_save(actor=office_user, cluster=cluster, unit=unit_c, agreed_scores={criteria[0].pk: ("1", "")})


# ---------------------------------------------------------------- item 3: finite decimals only

NOT_A_NUMBER = "Tiêu chí “Hoàn thành nhiệm vụ”: điểm “%s” không phải là số (nhập số thập phân, ví dụ 12,5)."
TOO_LONG = "Tiêu chí “Hoàn thành nhiệm vụ”: điểm quá dài (tối đa 12 ký tự)."
HOSTILE = [
    ("NaN", NOT_A_NUMBER % "NaN"),
    ("nan", NOT_A_NUMBER % "nan"),
    ("sNaN", NOT_A_NUMBER % "sNaN"),
    ("Infinity", NOT_A_NUMBER % "Infinity"),
    ("-Inf", NOT_A_NUMBER % "-Inf"),
    ("1e999", NOT_A_NUMBER % "1e999"),
    ("1E-2", NOT_A_NUMBER % "1E-2"),
    ("1,2,3", NOT_A_NUMBER % "1,2,3"),
    ("0" * 10_000, TOO_LONG),
    ("1" * 13, TOO_LONG),
]


@pytest.mark.parametrize(("value", "message"), HOSTILE)
def test_service_refuses_non_finite_or_overlong_scores(cluster, unit_a, head_a, value, message):
    with pytest.raises(ValidationError) as exc:
        services.cluster_scores_save(actor=head_a, cluster=cluster, unit=unit_a, self_scores={cluster.main.pk: (value, "")})
    assert exc.value.message_dict == {f"self_{cluster.main.pk}": [message]}
    assert not ClusterScore.objects.exists()


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity"), D("sNaN")])
def test_service_refuses_a_non_finite_decimal_from_code(cluster, unit_a, leader_head, value):
    with pytest.raises(ValidationError) as exc:
        _agree(leader_head, cluster, unit_a, value)
    assert exc.value.message_dict == {f"agreed_{cluster.main.pk}": ["Tiêu chí “Hoàn thành nhiệm vụ”: điểm phải là một số hữu hạn."]}


def test_model_clean_refuses_nan_without_crashing(cluster, unit_a):
    score = ClusterScore(cluster=cluster, criterion=cluster.main, unit=unit_a, self_score=D("NaN"))
    with pytest.raises(ValidationError) as exc:
        score.full_clean()
    assert "self_score" in exc.value.message_dict


@pytest.mark.parametrize(("value", "message"), HOSTILE)
def test_form_refuses_non_finite_or_overlong_scores_naming_the_criterion(cluster, value, message):
    form = ScoreSheetForm({f"self_{cluster.main.pk}": value}, criteria=[cluster.main], scores={}, can_self=True, can_agree=False)
    assert not form.is_valid()
    assert form.errors[f"self_{cluster.main.pk}"] == [message]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e999", "9" * 5000])
def test_score_page_answers_a_clear_message_never_500(client, cluster, unit_a, head_a, value):
    client.force_login(head_a)
    response = client.post(_sheet(cluster, unit_a), {f"self_{cluster.main.pk}": value})
    assert response.status_code == 200
    assert "Tiêu chí “Hoàn thành nhiệm vụ”: điểm" in response.content.decode()
    assert not ClusterScore.objects.exists()


def test_plain_decimals_still_pass(cluster, unit_a, head_a):
    services.cluster_scores_save(actor=head_a, cluster=cluster, unit=unit_a, self_scores={cluster.main.pk: (" 29,50 ", "")})
    assert ClusterScore.objects.get().self_score == D("29.50")
