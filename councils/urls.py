from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("", views.council_home, name="home"),
    # the council and its members, the voting rules
    path("to-chuc/", views.council_list, name="council_list"),
    path("to-chuc/them/", views.council_form, name="council_create"),
    path("to-chuc/<id:pk>/", views.council_detail, name="council_detail"),
    path("to-chuc/<id:pk>/sua/", views.council_form, name="council_edit"),
    path("to-chuc/<id:pk>/thanh-vien/them/", views.member_add, name="member_add"),
    path("thanh-vien/<id:pk>/sua/", views.member_edit, name="member_edit"),
    path("quy-tac/", views.rule_list, name="rule_list"),
    path("quy-tac/them/", views.rule_form, name="rule_create"),
    path("quy-tac/<id:pk>/sua/", views.rule_form, name="rule_edit"),
    # meetings
    path("phien-hop/", views.meeting_list, name="meeting_list"),
    path("phien-hop/them/", views.meeting_create, name="meeting_create"),
    path("phien-hop/<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("phien-hop/<id:pk>/sua/", views.meeting_edit, name="meeting_edit"),
    path("phien-hop/<id:pk>/chuyen/<str:to_state>/", views.meeting_transition, name="meeting_transition"),
    path("phien-hop/<id:pk>/diem-danh/", views.attendance, name="attendance"),
    path("phien-hop/<id:pk>/chuong-trinh/", views.agenda_builder, name="agenda_builder"),
    path("phien-hop/<id:pk>/da-xem/", views.readings, name="readings"),
    path("phien-hop/<id:pk>/phieu-bieu-quyet/", views.ballot, name="ballot"),
    path("phien-hop/<id:pk>/mo-bieu-quyet-nhom/", views.voting_open_group, name="voting_open_group"),
    path("phien-hop/<id:pk>/ket-thuc-bieu-quyet-nhom/", views.voting_close_group, name="voting_close_group"),
    path("phien-hop/<id:pk>/ket-qua/", views.meeting_summary, name="meeting_summary"),
    path("phien-hop/<id:pk>/ket-qua/xuat/", views.summary_export, name="summary_export"),
    path("phien-hop/<id:pk>/bien-ban/", views.minutes_download, name="minutes_download"),
    path("phien-hop/<id:pk>/bien-ban/ban-hanh/", views.minutes_issue, name="minutes_issue"),
    path("phien-hop/<id:pk>/bien-ban/ky-so/", views.minutes_sign, name="minutes_sign"),  # issue 12
    path("phien-hop/<id:pk>/bien-ban/kiem-tra-chu-ky/", views.minutes_verify, name="minutes_verify"),
    path("phien-hop/<id:pk>/lap-quyet-dinh/", views.decisions_from_meeting, name="decisions_from_meeting"),
    # agenda items
    path("noi-dung/<id:pk>/", views.item_detail, name="item_detail"),
    path("noi-dung/<id:pk>/y-kien/", views.item_comment, name="item_comment"),
    path("noi-dung/<id:pk>/rut/", views.item_remove, name="item_remove"),
    path("noi-dung/<id:pk>/khong-tham-gia/", views.recusal_add, name="recusal_add"),
    path("khong-tham-gia/<id:pk>/bo/", views.recusal_remove, name="recusal_remove"),
    path("noi-dung/<id:pk>/bieu-quyet/", views.vote, name="vote"),
    path("noi-dung/<id:pk>/mo-bieu-quyet/", views.voting_open, name="voting_open"),
    path("noi-dung/<id:pk>/ket-thuc-bieu-quyet/", views.voting_close, name="voting_close"),
    path("noi-dung/<id:pk>/bieu-quyet-lai/", views.vote_repeat, name="vote_repeat"),
    path("noi-dung/<id:pk>/hoan-xet/", views.item_defer, name="item_defer"),
    path("noi-dung/<id:pk>/phieu-giay/", views.paper_entry, name="paper_entry"),
    path("noi-dung/<id:pk>/y-kien-van-ban/", views.written_opinion, name="written_opinion"),
    # decisions and tờ trình (issue 11)
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/lap-tu-dot/", views.decisions_from_round, name="decisions_from_round"),
    path("quyet-dinh/thong-ke/", views.decision_statistics, name="decision_statistics"),  # part: docs
    path("quyet-dinh/<id:pk>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<id:pk>/sua/", views.decision_edit, name="decision_edit"),
    path("quyet-dinh/<id:pk>/ban-hanh/", views.decision_issue, name="decision_issue"),
    path("quyet-dinh/<id:pk>/thu-hoi/", views.decision_revoke, name="decision_revoke"),
    path("quyet-dinh/<id:pk>/thay-the/", views.decision_replace, name="decision_replace"),
    path("quyet-dinh/<id:pk>/xoa/", views.decision_delete, name="decision_delete"),
    path("quyet-dinh/<id:pk>/tai-ve/<str:fmt>/", views.decision_file, name="decision_file"),
    # digital signatures (issue 12)
    path("quyet-dinh/<id:pk>/ky-so/", views.decision_sign, name="decision_sign"),
    path("quyet-dinh/<id:pk>/dong-dau-so/", views.decision_seal, name="decision_seal"),
    path("quyet-dinh/<id:pk>/ban-chua-ky/", views.decision_unsigned_pdf, name="decision_unsigned_pdf"),
    path("quyet-dinh/<id:pk>/kiem-tra-chu-ky/", views.decision_verify, name="decision_verify"),
    path("quyet-dinh/<id:pk>/giay-khen/", views.decision_certificates, name="decision_certificates"),  # part: docs
    path("dong-quyet-dinh/<id:pk>/bo/", views.decision_line_remove, name="decision_line_remove"),
    path("to-trinh/<id:pk>/", views.proposal_detail, name="proposal_detail"),
    path("to-trinh/<id:pk>/sua/", views.proposal_edit, name="proposal_edit"),
    path("to-trinh/<id:pk>/trinh/", views.proposal_send, name="proposal_send"),
    path("to-trinh/<id:pk>/quyet-dinh-tinh/", views.proposal_record, name="proposal_record"),
    path("to-trinh/<id:pk>/tai-ve/<str:fmt>/", views.proposal_file, name="proposal_file"),
    path("to-trinh/<id:pk>/ky-so/", views.proposal_sign, name="proposal_sign"),  # issue 12
    path("to-trinh/<id:pk>/dong-dau-so/", views.proposal_seal, name="proposal_seal"),  # issue 12
    path("to-trinh/<id:pk>/kiem-tra-chu-ky/", views.proposal_verify, name="proposal_verify"),
]
