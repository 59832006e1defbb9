"""Cluster pages by role, with other units' scores present (the data that could leak)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from movements.models import Cluster, ClusterAcclamation, ClusterScore
from tests.factories import UnitFactory, UnitUserFactory, UserFactory
from tests.factories.movements import ClusterScoreFactory, scoring_cluster, title

pytestmark = pytest.mark.integration


@pytest.fixture
def unit_c(db):
    return UnitFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", short_code="CCTDC")


@pytest.fixture
def head_c(unit_c):
    """Head of the leader unit (cụm trưởng)."""
    return UnitUserFactory(unit=unit_c, username="truong_cctdc")


@pytest.fixture
def cluster(unit_a, unit_b, unit_c):
    cluster, criteria = scoring_cluster(units=[unit_a, unit_b, unit_c], leader=unit_c, deputy=unit_b)
    main = criteria[0]
    ClusterScoreFactory(cluster=cluster, criterion=main, unit=unit_b, self_score=Decimal("27.5"), self_note="Minh chứng riêng của B")
    ClusterScoreFactory(cluster=cluster, criterion=main, unit=unit_a, self_score=Decimal("20"), self_note="Minh chứng của A")
    cluster.main = main
    return cluster


def _sheet(cluster, unit):
    return reverse("movements:cluster_score_sheet", args=[cluster.pk, unit.pk])


def test_member_cannot_read_or_change_another_members_scores(client, head_a, cluster, unit_b):
    client.force_login(head_a)
    assert client.get(_sheet(cluster, unit_b)).status_code == 404
    response = client.post(_sheet(cluster, unit_b), {f"self_{cluster.main.pk}": "0", f"agreed_{cluster.main.pk}": "0"})
    assert response.status_code == 404
    score = ClusterScore.objects.get(unit=unit_b)
    assert (score.self_score, score.agreed_score) == (Decimal("27.50"), None)


def test_member_reads_own_sheet_without_others_data_and_no_ranking_while_scoring(client, head_a, cluster):
    client.force_login(head_a)
    body = client.get(_sheet(cluster, head_a.unit)).content.decode()
    assert "Minh chứng của A" in body and "Minh chứng riêng của B" not in body
    detail = client.get(reverse("movements:cluster_detail", args=[cluster.pk]))
    assert detail.context["ranking"] is None
    body = detail.content.decode()
    assert "27,5" not in body
    assert "Kết quả xếp hạng được công bố khi cụm kết thúc chấm điểm." in body
    assert client.get(reverse("movements:cluster_ranking_export", args=[cluster.pk])).status_code == 403


def test_member_self_scores_but_cannot_enter_agreed_scores(client, head_a, cluster):
    client.force_login(head_a)
    form = client.get(_sheet(cluster, head_a.unit)).context["form"]
    assert f"self_{cluster.main.pk}" in form.fields and f"agreed_{cluster.main.pk}" not in form.fields
    response = client.post(_sheet(cluster, head_a.unit), {f"self_{cluster.main.pk}": "22", f"agreed_{cluster.main.pk}": "30"})
    assert response.status_code == 302
    score = ClusterScore.objects.get(unit=head_a.unit)
    assert (score.self_score, score.agreed_score) == (Decimal("22.00"), None)  # the agreed field is not theirs


def test_leader_reads_members_and_enters_agreed_scores_only(client, head_c, cluster, unit_b):
    client.force_login(head_c)
    response = client.get(_sheet(cluster, unit_b))
    assert response.status_code == 200
    assert "Minh chứng riêng của B" in response.content.decode()
    form = response.context["form"]
    assert f"agreed_{cluster.main.pk}" in form.fields and f"self_{cluster.main.pk}" not in form.fields
    client.post(_sheet(cluster, unit_b), {f"agreed_{cluster.main.pk}": "26", f"self_{cluster.main.pk}": "1"})
    score = ClusterScore.objects.get(unit=unit_b)
    assert (score.self_score, score.agreed_score) == (Decimal("27.50"), Decimal("26.00"))
    assert client.get(reverse("movements:cluster_detail", args=[cluster.pk])).context["ranking"] is not None


def test_deputy_is_not_the_leader(client, cluster, unit_b, unit_a):
    deputy_head = UnitUserFactory(unit=unit_b)
    client.force_login(deputy_head)
    assert client.get(_sheet(cluster, unit_a)).status_code == 404


def test_non_member_unit_head_sees_nothing_of_the_cluster(client, cluster):
    outsider = UnitUserFactory(unit=UnitFactory(name="Phòng ngoài cụm", short_code="NGOAI"))
    client.force_login(outsider)
    assert client.get(reverse("movements:cluster_detail", args=[cluster.pk])).status_code == 404
    assert client.get(_sheet(cluster, cluster.leader_unit)).status_code == 404
    body = client.get(reverse("movements:cluster_list")).content.decode()
    assert cluster.name not in body
    assert "Đơn vị của bạn chưa thuộc cụm, khối thi đua nào." in body


def test_after_conclusion_members_see_the_ranking_totals(client, head_a, cluster):
    Cluster.objects.filter(pk=cluster.pk).update(state="concluded")
    client.force_login(head_a)
    detail = client.get(reverse("movements:cluster_detail", args=[cluster.pk]))
    assert [r.unit.short_code for r in detail.context["ranking"]] == ["TTUD", "QLKH", "CCTDC"]
    # …but still not another unit's per-criterion sheet, and nothing is editable.
    assert client.get(_sheet(cluster, cluster.leader_unit)).status_code == 404
    assert client.get(_sheet(cluster, head_a.unit)).context["form"].fields == {}


@pytest.mark.parametrize("name", ["cluster_edit", "cluster_section_add", "cluster_criterion_add", "acclamation_add"])
def test_unit_heads_cannot_manage_clusters(client, head_c, cluster, name):
    client.force_login(head_c)  # even the leader
    assert client.get(reverse(f"movements:{name}", args=[cluster.pk])).status_code == 403


def test_unit_heads_cannot_transition_or_acclaim(client, head_c, cluster, unit_c):
    client.force_login(head_c)
    assert client.get(reverse("movements:cluster_create")).status_code == 403
    assert client.post(reverse("movements:cluster_transition", args=[cluster.pk, "concluded"]), {"reason": ""}).status_code == 403
    Cluster.objects.filter(pk=cluster.pk).update(state="concluded")
    assert client.post(reverse("movements:acclamation_add", args=[cluster.pk]), {
        "unit": unit_c.pk, "award": f"title:{title('CO_TINH').pk}", "meeting_date": "20/12/2024"}).status_code == 403
    cluster.refresh_from_db()
    assert (cluster.state, ClusterAcclamation.objects.count()) == ("concluded", 0)


def test_council_reads_everything_but_enters_nothing(client, cluster, unit_b):
    client.force_login(UserFactory(role="council"))
    assert client.get(reverse("movements:cluster_detail", args=[cluster.pk])).context["ranking"] is not None
    response = client.get(_sheet(cluster, unit_b))
    assert response.status_code == 200 and response.context["form"].fields == {}
    assert client.post(_sheet(cluster, unit_b), {f"agreed_{cluster.main.pk}": "1"}).status_code == 403
    assert ClusterScore.objects.get(unit=unit_b).agreed_score is None


def test_office_enters_both_scores(client, office_user, cluster, unit_b):
    client.force_login(office_user)
    client.post(_sheet(cluster, unit_b), {f"self_{cluster.main.pk}": "28", f"agreed_{cluster.main.pk}": "27"})
    score = ClusterScore.objects.get(unit=unit_b)
    assert (score.self_score, score.agreed_score) == (Decimal("28.00"), Decimal("27.00"))


def test_pact_file_is_served_to_members_only(client, office_user, unit_a, unit_b, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from movements import services

    settings.MEDIA_ROOT = tmp_path
    cluster = services.cluster_create(actor=office_user, year=2025, name="Cụm có giao ước", members=[unit_a, unit_b],
                                      pact_file=SimpleUploadedFile("Giao ước 2025.pdf", b"%PDF-1.4 giao uoc"))
    url = reverse("movements:cluster_pact_download", args=[cluster.pk])
    client.force_login(UnitUserFactory(unit=unit_a))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 giao uoc"
    client.force_login(UnitUserFactory(unit=UnitFactory(name="Phòng ngoài cụm", short_code="NGOAI")))
    assert client.get(url).status_code == 404
