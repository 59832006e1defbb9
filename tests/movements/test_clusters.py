"""Clusters (cụm, khối thi đua): set-up, scoring refusals, ranking and its query bound, acclamation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movements import services
from movements.models import Cluster, ClusterAcclamation, ClusterScore, ScoringCriterion
from movements.selectors import acclamations_pending, cluster_ranking
from nominations.models import CommendationForm
from tdkt.models import AuditEvent
from tests.factories import UnitFactory, UnitUserFactory
from tests.factories.movements import ClusterFactory, ClusterMemberFactory, ClusterScoreFactory, scoring_cluster, title

pytestmark = pytest.mark.integration

D = Decimal


@pytest.fixture
def unit_c(db):
    return UnitFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", short_code="CCTDC")


@pytest.fixture
def head_c(unit_c):
    return UnitUserFactory(unit=unit_c, username="truong_cctdc")


@pytest.fixture
def scoring(unit_a, unit_b, unit_c):
    """A cluster in scoring: members A, B and C; C leads, B is deputy."""
    cluster, criteria = scoring_cluster(units=[unit_a, unit_b, unit_c], leader=unit_c, deputy=unit_b)
    return cluster, {c.name: c for c in criteria}


def _self(criteria, **values):
    names = {"main": "Hoàn thành nhiệm vụ", "emul": "Công tác thi đua", "bonus": "Điểm thưởng", "penalty": "Điểm trừ"}
    return {criteria[names[k]].pk: (v, "Báo cáo năm") for k, v in values.items()}


# ---------------------------------------------------------------- set-up

def test_create_cluster_with_members_leader_and_pact(office_user, unit_a, unit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cluster = services.cluster_create(actor=office_user, year=2024, name="Cụm thi đua các phòng, đơn vị", members=[unit_a, unit_b],
                                      leader_unit=unit_a, deputy_unit=unit_b, pact_number="01/GƯTĐ",
                                      pact_file=SimpleUploadedFile("Giao ước.pdf", b"%PDF-1.4 giao uoc"))
    assert sorted(cluster.members.values_list("short_code", flat=True)) == ["QLKH", "TTUD"]
    assert (cluster.state, cluster.pact_original_name) == ("setup", "Giao ước.pdf")
    assert cluster.pact_file.name.startswith(f"clusters/{cluster.pk}/")
    event = AuditEvent.objects.get(content_type__model="cluster", object_id=str(cluster.pk), action="create")
    assert event.changes["thành viên"] == [None, "QLKH, TTUD"]


def test_replacing_the_pact_with_a_same_named_file_is_audited(office_user, unit_a, unit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cluster = services.cluster_create(actor=office_user, year=2024, name="Cụm 1", members=[unit_a, unit_b],
                                      pact_file=SimpleUploadedFile("Giao ước.pdf", b"%PDF-1.4 ban dau"))
    first = cluster.pact_file.name
    cluster = services.cluster_update(actor=office_user, cluster=cluster, year=2024, name="Cụm 1", members=[unit_a, unit_b],
                                      pact_file=SimpleUploadedFile("Giao ước.pdf", b"%PDF-1.4 ban sua"))
    event = AuditEvent.objects.filter(content_type__model="cluster", object_id=str(cluster.pk), action="update").get()
    assert event.changes["pact_file"] == [first, cluster.pact_file.name]
    assert first != cluster.pact_file.name


def test_leader_and_deputy_must_be_distinct_members(office_user, unit_a, unit_b, unit_c):
    with pytest.raises(ValidationError) as exc:
        services.cluster_create(actor=office_user, year=2024, name="Cụm 1", members=[unit_a, unit_b], leader_unit=unit_c)
    assert exc.value.message_dict["leader_unit"] == ["Cụm trưởng phải là đơn vị thành viên của cụm."]
    with pytest.raises(ValidationError) as exc:
        services.cluster_create(actor=office_user, year=2024, name="Cụm 1", members=[unit_a, unit_b], leader_unit=unit_a,
                                deputy_unit=unit_a)
    assert exc.value.message_dict["deputy_unit"] == ["Cụm trưởng và cụm phó phải là hai đơn vị khác nhau."]
    assert Cluster.objects.count() == 0


def test_opening_scoring_needs_members_leader_and_criteria(office_user, unit_a):
    cluster = services.cluster_create(actor=office_user, year=2024, name="Cụm 1", members=[unit_a])
    with pytest.raises(ValidationError) as exc:
        services.cluster_transition(cluster=cluster, actor=office_user, to_state="scoring")
    assert exc.value.messages == ["Chưa mở chấm điểm được: cụm cần ít nhất 2 đơn vị thành viên; chưa chọn cụm trưởng; "
                                  "bảng điểm chưa có tiêu chí chấm điểm."]


def test_table_is_built_in_setup_then_locked(office_user, unit_a, unit_b):
    cluster = services.cluster_create(actor=office_user, year=2024, name="Cụm 1", members=[unit_a, unit_b], leader_unit=unit_a)
    section = services.section_create(actor=office_user, cluster=cluster, name="I. Chuyên môn", order=1)
    criterion = services.criterion_create(actor=office_user, section=section, name="Hoàn thành kế hoạch", max_score=D("30"))
    cluster = services.cluster_transition(cluster=cluster, actor=office_user, to_state="scoring")
    assert cluster.state == "scoring"
    with pytest.raises(ValidationError) as exc:
        services.criterion_create(actor=office_user, section=section, name="Thêm", max_score=D("5"))
    assert exc.value.messages == ["Bảng tiêu chí chỉ sửa được khi cụm đang thiết lập (chưa mở chấm điểm)."]
    with pytest.raises(ValidationError):
        services.criterion_delete(actor=office_user, criterion=criterion)
    assert ScoringCriterion.objects.count() == 1


def test_criterion_maximum_must_be_positive(office_user, unit_a):
    cluster = services.cluster_create(actor=office_user, year=2024, name="Cụm 1", members=[unit_a])
    section = services.section_create(actor=office_user, cluster=cluster, name="I", order=1)
    with pytest.raises(ValidationError) as exc:
        services.criterion_create(actor=office_user, section=section, name="Sai", max_score=D("0"))
    assert exc.value.messages == ["Điểm tối đa phải lớn hơn 0."]


# ---------------------------------------------------------------- scoring

def test_member_self_scores_with_evidence_and_each_change_is_audited(scoring, unit_a, head_a):
    cluster, criteria = scoring
    services.cluster_scores_save(actor=head_a, cluster=cluster, unit=unit_a,
                                 self_scores=_self(criteria, main="28,5", emul="9"))
    score = ClusterScore.objects.get(unit=unit_a, criterion=criteria["Hoàn thành nhiệm vụ"])
    assert (score.self_score, score.self_note, score.agreed_score) == (D("28.50"), "Báo cáo năm", None)
    services.cluster_scores_save(actor=head_a, cluster=cluster, unit=unit_a, self_scores=_self(criteria, main="29", emul="9"))
    events = AuditEvent.objects.filter(content_type__model="clusterscore", object_id=str(score.pk)).order_by("id")
    assert [(e.action, e.changes) for e in events] == [
        ("create", {"self_score": [None, "28.50"], "self_note": [None, "Báo cáo năm"]}),
        ("update", {"self_score": ["28.50", "29.00"]}),
    ]


@pytest.mark.parametrize(("value", "message"), [
    ("31", "Tiêu chí “Hoàn thành nhiệm vụ”: điểm 31 vượt điểm tối đa 30."),
    ("30,25", "Tiêu chí “Hoàn thành nhiệm vụ”: điểm 30,25 vượt điểm tối đa 30."),
    ("-1", "Tiêu chí “Hoàn thành nhiệm vụ”: điểm không được âm."),
    ("mười", "Tiêu chí “Hoàn thành nhiệm vụ”: điểm “mười” không phải là số (nhập số thập phân, ví dụ 12,5)."),
    ("1,234", "Tiêu chí “Hoàn thành nhiệm vụ”: điểm chỉ lấy tối đa 2 chữ số thập phân."),
])
def test_scores_out_of_range_are_refused_with_a_clear_message(scoring, unit_a, head_a, value, message):
    cluster, criteria = scoring
    main = criteria["Hoàn thành nhiệm vụ"]
    with pytest.raises(ValidationError) as exc:
        services.cluster_scores_save(actor=head_a, cluster=cluster, unit=unit_a,
                                     self_scores={main.pk: (value, ""), criteria["Công tác thi đua"].pk: ("8", "")})
    assert exc.value.message_dict == {f"self_{main.pk}": [message]}
    assert ClusterScore.objects.count() == 0  # nothing saved, not even the valid score


def test_agreed_score_above_maximum_is_refused(scoring, unit_a, head_c):
    cluster, criteria = scoring
    penalty = criteria["Điểm trừ"]
    with pytest.raises(ValidationError) as exc:
        services.cluster_scores_save(actor=head_c, cluster=cluster, unit=unit_a, agreed_scores={penalty.pk: ("6", "")})
    assert exc.value.message_dict == {f"agreed_{penalty.pk}": ["Tiêu chí “Điểm trừ”: điểm 6 vượt điểm tối đa 5."]}


def test_model_clean_also_guards_the_range(scoring, unit_a):
    cluster, criteria = scoring
    score = ClusterScore(cluster=cluster, criterion=criteria["Điểm thưởng"], unit=unit_a, self_score=D("7"))
    with pytest.raises(ValidationError) as exc:
        score.full_clean()
    assert exc.value.message_dict["self_score"] == ["Tiêu chí “Điểm thưởng”: điểm 7 vượt điểm tối đa 5."]


def test_only_the_unit_or_the_office_self_scores(scoring, unit_a, head_c, office_user):
    cluster, criteria = scoring
    with pytest.raises(ValidationError) as exc:
        services.cluster_scores_save(actor=head_c, cluster=cluster, unit=unit_a, self_scores=_self(criteria, main="30"))
    assert exc.value.messages == ["Chỉ đơn vị Phòng Quản lý khoa học (hoặc Văn phòng Sở) được tự chấm điểm của đơn vị mình."]
    services.cluster_scores_save(actor=office_user, cluster=cluster, unit=unit_a, self_scores=_self(criteria, main="27"))
    assert ClusterScore.objects.get().self_score == D("27")


def test_only_the_leader_or_the_office_enters_agreed_scores(scoring, unit_a, unit_b, head_a, head_c, office_user):
    cluster, criteria = scoring
    deputy_head = UnitUserFactory(unit=unit_b)
    for actor in (head_a, deputy_head):
        with pytest.raises(ValidationError) as exc:
            services.cluster_scores_save(actor=actor, cluster=cluster, unit=unit_a, agreed_scores=_self(criteria, main="25"))
        assert exc.value.messages == ["Chỉ cụm trưởng hoặc Văn phòng Sở được nhập điểm thống nhất."]
    assert ClusterScore.objects.count() == 0
    services.cluster_scores_save(actor=head_c, cluster=cluster, unit=unit_a, agreed_scores=_self(criteria, main="25"))
    services.cluster_scores_save(actor=office_user, cluster=cluster, unit=unit_b, agreed_scores=_self(criteria, main="26"))
    assert sorted(ClusterScore.objects.values_list("unit__short_code", "agreed_score")) == [("QLKH", D("25")), ("TTUD", D("26"))]


def test_scores_only_while_scoring_and_only_for_members(scoring, unit_a, office_user):
    cluster, criteria = scoring
    outsider = UnitFactory(name="Phòng ngoài cụm", short_code="NGOAI")
    with pytest.raises(ValidationError) as exc:
        services.cluster_scores_save(actor=office_user, cluster=cluster, unit=outsider, self_scores=_self(criteria, main="1"))
    assert exc.value.messages == ["Phòng ngoài cụm không phải thành viên của cụm."]
    Cluster.objects.filter(pk=cluster.pk).update(state="concluded")
    with pytest.raises(ValidationError) as exc:
        services.cluster_scores_save(actor=office_user, cluster=cluster, unit=unit_a, self_scores=_self(criteria, main="1"))
    assert exc.value.messages == ["Cụm không ở giai đoạn chấm điểm (trạng thái: Đã kết thúc chấm điểm)."]


# ---------------------------------------------------------------- ranking

def test_ranking_uses_agreed_scores_deducts_penalties_and_shares_ties(scoring, unit_a, unit_b, unit_c, office_user):
    cluster, criteria = scoring
    save = services.cluster_scores_save
    # A: self 30 + 9 + 2 − 1 = 40; agreed on main 28 → 38 (other criteria fall back to self).
    save(actor=office_user, cluster=cluster, unit=unit_a, self_scores=_self(criteria, main="30", emul="9", bonus="2", penalty="1"),
         agreed_scores=_self(criteria, main="28"))
    # B: 29 + 9 = 38, ties with A.
    save(actor=office_user, cluster=cluster, unit=unit_b, self_scores=_self(criteria, main="29", emul="9"))
    # C: 30 + 10 + 5 − 0 = 45, fully agreed at 44.5.
    save(actor=office_user, cluster=cluster, unit=unit_c, self_scores=_self(criteria, main="30", emul="10", bonus="5", penalty="0"),
         agreed_scores=_self(criteria, main="29,5", emul="10", bonus="5", penalty="0"))
    ranking = cluster_ranking(cluster)
    assert [(r.unit.short_code, r.rank, r.self_total, r.agreed_total, r.final_total, r.role, r.complete) for r in ranking] == [
        ("CCTDC", 1, D("45.00"), D("44.50"), D("44.50"), "leader", True),
        ("QLKH", 2, D("40.00"), D("28.00"), D("38.00"), "", False),
        ("TTUD", 2, D("38.00"), None, D("38.00"), "deputy", False),
    ]


def test_ranking_lists_unscored_members_last_without_rank(scoring, unit_a, office_user):
    cluster, criteria = scoring
    services.cluster_scores_save(actor=office_user, cluster=cluster, unit=unit_a, self_scores=_self(criteria, main="10"))
    assert [(r.unit.short_code, r.rank, r.final_total) for r in cluster_ranking(cluster)] == [
        ("QLKH", 1, D("10.00")), ("CCTDC", None, None), ("TTUD", None, None)]


def _big_cluster(n):
    units = [UnitFactory(name=f"Đơn vị {i}", short_code=f"DV{i}") for i in range(n)]
    cluster, criteria = scoring_cluster(units=units, leader=units[0], state="concluded")
    for i, unit in enumerate(units):
        for criterion in criteria:
            value = min(D(i), criterion.max_score)  # totals rise strictly with i
            ClusterScoreFactory(cluster=cluster, criterion=criterion, unit=unit, self_score=value, agreed_score=value)
    return cluster


@pytest.mark.parametrize("units", [3, 15])
def test_ranking_queries_do_not_grow_with_units(django_assert_max_num_queries, db, units):
    cluster = _big_cluster(units)
    with django_assert_max_num_queries(4):
        ranking = cluster_ranking(cluster)
    assert len(ranking) == units
    assert ranking[0].unit.short_code == f"DV{units - 1}"


@pytest.mark.parametrize("units", [3, 15])
def test_cluster_page_queries_do_not_grow_with_units(client, office_user, django_assert_max_num_queries, units):
    cluster = _big_cluster(units)
    client.force_login(office_user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("movements:cluster_detail", args=[cluster.pk]))
    assert response.status_code == 200
    assert len(response.context["ranking"]) == units


# ---------------------------------------------------------------- conclude, acclaim

@pytest.fixture
def concluded(scoring, unit_a, unit_b, unit_c, office_user):
    cluster, criteria = scoring
    for unit, main in ((unit_a, "25"), (unit_b, "27"), (unit_c, "29")):
        services.cluster_scores_save(actor=office_user, cluster=cluster, unit=unit, self_scores=_self(criteria, main=main),
                                     agreed_scores=_self(criteria, main=main))
    return services.cluster_transition(cluster=cluster, actor=office_user, to_state="concluded")


def test_acclamation_creates_the_proposal_the_nominations_app_reads(concluded, unit_c, office_user):
    acclamation = services.acclamation_record(actor=office_user, cluster=concluded, unit=unit_c, title=title("CO_TINH"),
                                              meeting_date=datetime.date(2024, 12, 20), minutes_number="05/BB-CTĐ")
    assert (acclamation.year, acclamation.rank, acclamation.total_score, acclamation.state) == (2024, 1, D("29.00"), "proposed")
    assert (acclamation.award_code, str(acclamation.award)) == ("CO_TINH", "Cờ thi đua của UBND tỉnh")
    assert list(acclamations_pending(2024)) == [acclamation]
    assert list(acclamations_pending(2023)) == []
    events = AuditEvent.objects.filter(content_type__model="clusteracclamation", object_id=str(acclamation.pk))
    assert list(events.values_list("action", "to_state")) == [("create", "proposed")]
    services.acclamation_mark_nominated(acclamation=acclamation, actor=office_user)
    assert list(acclamations_pending(2024)) == []


def test_acclamation_for_bang_khen(concluded, unit_b, office_user):
    acclamation = services.acclamation_record(actor=office_user, cluster=concluded, unit=unit_b,
                                              form=CommendationForm.objects.get(code="BK_TINH"),
                                              meeting_date=datetime.date(2024, 12, 20))
    assert (acclamation.award_code, acclamation.rank, acclamation.title) == ("BK_TINH", 2, None)


def test_acclamation_refusals(scoring, concluded, unit_a, unit_c, office_user, head_c):
    outsider = UnitFactory(name="Phòng ngoài cụm", short_code="NGOAI")
    meeting = datetime.date(2024, 12, 20)
    with pytest.raises(PermissionDenied) as denied:
        services.acclamation_record(cluster=concluded, actor=head_c, unit=unit_c, title=title("CO_TINH"), meeting_date=meeting)
    assert str(denied.value) == "Chỉ Văn phòng Sở được ghi nhận kết quả suy tôn."
    cases = [
        (dict(actor=office_user, unit=outsider, title=title("CO_TINH"), meeting_date=meeting),
         {"unit": ["Phòng ngoài cụm không phải thành viên của cụm."]}),
        (dict(actor=office_user, unit=unit_c, title=title("LDTT"), meeting_date=meeting),
         {"award": ["Suy tôn chỉ đề nghị Cờ thi đua hoặc Bằng khen, không phải “Lao động tiên tiến”."]}),
        (dict(actor=office_user, unit=unit_c, form=CommendationForm.objects.get(code="GIAY_KHEN"), meeting_date=meeting),
         {"award": ["Suy tôn chỉ đề nghị Cờ thi đua hoặc Bằng khen, không phải “Giấy khen của Giám đốc Sở”."]}),
        (dict(actor=office_user, unit=unit_c, title=title("CO_TINH"), form=CommendationForm.objects.get(code="BK_TINH"),
              meeting_date=meeting), {"award": ["Chọn đúng một danh hiệu hoặc một hình thức khen thưởng."]}),
        (dict(actor=office_user, unit=unit_c, title=title("CO_TINH"), meeting_date=datetime.date(2023, 12, 1)),
         {"meeting_date": ["Ngày họp suy tôn phải thuộc năm 2024 trở về sau."]}),
        (dict(actor=office_user, unit=unit_c, title=title("CO_TINH"), meeting_date=datetime.date.today() + datetime.timedelta(days=2)),
         {"meeting_date": ["Ngày họp suy tôn không được ở tương lai."]}),
    ]
    for kwargs, expected in cases:
        with pytest.raises(ValidationError) as exc:
            services.acclamation_record(cluster=concluded, **kwargs)
        assert (exc.value.message_dict if isinstance(expected, dict) else exc.value.messages) == expected
    assert ClusterAcclamation.objects.count() == 0


def test_acclamation_needs_a_concluded_cluster_and_is_once_per_unit(scoring, unit_c, office_user):
    cluster, _criteria = scoring
    with pytest.raises(ValidationError) as exc:
        services.acclamation_record(actor=office_user, cluster=cluster, unit=unit_c, title=title("CO_TINH"),
                                    meeting_date=datetime.date(2024, 12, 20))
    assert exc.value.messages == ["Hãy kết thúc chấm điểm của cụm trước khi ghi nhận kết quả suy tôn."]
    cluster = services.cluster_transition(cluster=cluster, actor=office_user, to_state="concluded")
    first = services.acclamation_record(actor=office_user, cluster=cluster, unit=unit_c, title=title("CO_TINH"),
                                        meeting_date=datetime.date(2024, 12, 20))
    with pytest.raises(ValidationError) as exc:
        services.acclamation_record(actor=office_user, cluster=cluster, unit=unit_c, title=title("CO_TINH"),
                                    meeting_date=datetime.date(2024, 12, 21))
    assert exc.value.messages == ["Đơn vị này đã được suy tôn trong cụm."]
    # Withdrawn (with a reason), the unit can be acclaimed again.
    with pytest.raises(ValidationError) as exc:
        services.acclamation_withdraw(acclamation=first, actor=office_user, reason="")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do huỷ kết quả suy tôn."]}
    services.acclamation_withdraw(acclamation=first, actor=office_user, reason="Biên bản ghi nhầm đơn vị")
    services.acclamation_record(actor=office_user, cluster=cluster, unit=unit_c, form=CommendationForm.objects.get(code="BK_TINH"),
                                meeting_date=datetime.date(2024, 12, 21))
    assert sorted(ClusterAcclamation.objects.values_list("state", flat=True)) == ["proposed", "withdrawn"]


def test_reopening_needs_a_reason_and_no_standing_acclamation(concluded, unit_c, office_user):
    with pytest.raises(ValidationError) as exc:
        services.cluster_transition(cluster=concluded, actor=office_user, to_state="scoring")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do mở lại chấm điểm."]}
    services.acclamation_record(actor=office_user, cluster=concluded, unit=unit_c, title=title("CO_TINH"),
                                meeting_date=datetime.date(2024, 12, 20))
    with pytest.raises(ValidationError) as exc:
        services.cluster_transition(cluster=concluded, actor=office_user, to_state="scoring", reason="Sửa điểm")
    assert exc.value.messages == ["Cụm đã suy tôn đơn vị dẫn đầu: hãy huỷ kết quả suy tôn trước khi mở lại chấm điểm."]


def test_cluster_transitions_are_audited_and_office_only(concluded, office_user, head_c):
    with pytest.raises(PermissionDenied):
        services.cluster_transition(cluster=concluded, actor=head_c, to_state="scoring", reason="x")
    cluster = services.cluster_transition(cluster=concluded, actor=office_user, to_state="scoring", reason="Bổ sung minh chứng")
    events = AuditEvent.objects.filter(content_type__model="cluster", object_id=str(cluster.pk), action="transition")
    assert list(events.order_by("id").values_list("from_state", "to_state", "reason")) == [
        ("scoring", "concluded", ""), ("concluded", "scoring", "Bổ sung minh chứng")]


def test_acclamation_page_prefills_the_leader(client, concluded, unit_c, office_user):
    client.force_login(office_user)
    url = reverse("movements:acclamation_add", args=[concluded.pk])
    response = client.get(url)
    assert response.context["form"].initial["unit"] == unit_c.pk
    co = title("CO_TINH")
    response = client.post(url, {"unit": unit_c.pk, "award": f"title:{co.pk}", "meeting_date": "20/12/2024",
                                 "minutes_number": "05/BB", "note": ""})
    assert response.status_code == 302
    assert ClusterAcclamation.objects.get().award == co


def test_office_builds_a_cluster_through_pages(client, office_user, unit_a, unit_b):
    client.force_login(office_user)
    response = client.post(reverse("movements:cluster_create"), {
        "year": "2025", "name": "Cụm thi đua 2025", "members": [unit_a.pk, unit_b.pk], "leader_unit": unit_a.pk,
        "deputy_unit": unit_b.pk, "pact_number": "", "pact_signed_on": "", "description": ""})
    cluster = Cluster.objects.get()
    assert response["Location"] == reverse("movements:cluster_detail", args=[cluster.pk])
    client.post(reverse("movements:cluster_section_add", args=[cluster.pk]), {"name": "I. Chuyên môn", "order": "1"})
    section = cluster.sections.get()
    client.post(reverse("movements:cluster_criterion_add", args=[cluster.pk]),
                {"section": section.pk, "name": "Hoàn thành kế hoạch", "max_score": "30", "kind": "standard", "order": "1"})
    assert list(ScoringCriterion.objects.values_list("name", "max_score")) == [("Hoàn thành kế hoạch", D("30"))]
    url = reverse("movements:cluster_transition", args=[cluster.pk, "scoring"])
    assert client.get(url).status_code == 200
    cluster.refresh_from_db()
    assert cluster.state == "setup"
    client.post(url, {"reason": ""})
    cluster.refresh_from_db()
    assert cluster.state == "scoring"


def test_score_sheet_page_shows_service_errors_next_to_the_field(client, scoring, unit_a, head_a):
    cluster, criteria = scoring
    main = criteria["Hoàn thành nhiệm vụ"]
    client.force_login(head_a)
    response = client.post(reverse("movements:cluster_score_sheet", args=[cluster.pk, unit_a.pk]),
                           {f"self_{main.pk}": "35", f"self_note_{main.pk}": "Báo cáo"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"self_{main.pk}"] == ["Tiêu chí “Hoàn thành nhiệm vụ”: điểm 35 vượt điểm tối đa 30."]
    assert ClusterScore.objects.count() == 0


def test_demo_cluster_2024(db):
    from movements.demo import seed_demo

    seed_demo()
    seed_demo()
    cluster = Cluster.objects.get(year=2024)
    assert (cluster.state, cluster.leader_unit.short_code, cluster.deputy_unit.short_code) == ("concluded", "CCTDC", "TTUD")
    assert cluster.memberships.count() == 10
    assert ScoringCriterion.objects.filter(section__cluster=cluster).count() == 11
    assert ClusterScore.objects.filter(cluster=cluster, agreed_score__isnull=False).count() == 110
    ranking = cluster_ranking(cluster)
    assert [r.rank for r in ranking][:2] == [1, 2]
    assert all(r.complete for r in ranking)
    acclaimed = list(ClusterAcclamation.objects.filter(cluster=cluster).order_by("rank").values_list("rank", "state"))
    assert acclaimed == [(1, "proposed"), (2, "proposed")]
    assert [a.award_code for a in ClusterAcclamation.objects.filter(cluster=cluster).order_by("rank")] == ["CO_TINH", "BK_TINH"]


def test_member_count_bound_of_cluster_factory(db):
    cluster = ClusterFactory()
    ClusterMemberFactory(cluster=cluster)
    assert cluster.memberships.count() == 1
