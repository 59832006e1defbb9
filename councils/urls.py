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
]
