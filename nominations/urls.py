from django.urls import path

from . import views

app_name = "nominations"

urlpatterns = [
    path("", views.nomination_list, name="nomination_list"),
    path("xuat-excel/", views.nomination_export, name="nomination_export"),
    path("<id:pk>/", views.nomination_detail, name="nomination_detail"),
    path("<id:pk>/sua/", views.nomination_edit, name="nomination_edit"),
    path("<id:pk>/xoa/", views.nomination_delete, name="nomination_delete"),
    path("<id:pk>/chuyen/<str:to_state>/", views.nomination_transition, name="nomination_transition"),
    path("dot/", views.round_list, name="round_list"),
    path("dot/them/", views.round_form, name="round_create"),
    path("dot/<id:pk>/", views.round_detail, name="round_detail"),
    path("dot/<id:pk>/sua/", views.round_form, name="round_edit"),
    path("dot/<id:pk>/trang-thai/<str:status>/", views.round_status, name="round_status"),
    path("dot/<id:pk>/suy-ton/<id:acclamation_pk>/", views.round_from_acclamation, name="round_from_acclamation"),
    path("dot/<id:pk>/don-vi/<id:unit_pk>/", views.submission_detail, name="submission_detail"),
    path("dot/<id:pk>/don-vi/<id:unit_pk>/them/", views.nomination_create, name="nomination_create"),
    path("dot/<id:pk>/don-vi/<id:unit_pk>/kiem-tra/", views.nomination_check, name="nomination_check"),
    path("dot/<id:pk>/don-vi/<id:unit_pk>/gui/", views.submission_submit, name="submission_submit"),
    path("dot/<id:pk>/don-vi/<id:unit_pk>/ho-so/", views.submission_dossier, name="submission_dossier"),
    path("dot/<id:pk>/don-vi/<id:unit_pk>/tai-lieu/", views.document_upload, name="document_upload"),
    path("dot/<id:pk>/don-vi/<id:unit_pk>/nhap-excel/", views.nomination_import, name="nomination_import"),
    path("dot/<id:pk>/don-vi/<id:unit_pk>/mau-excel/", views.nomination_import_template, name="nomination_import_template"),
    path("nhap-excel/<uuid:pk>/", views.import_job, name="import_job"),
    path("tai-lieu/<id:pk>/", views.document_download, name="document_download"),
    path("tai-lieu/<id:pk>/xoa/", views.document_delete, name="document_delete"),
    path("tham-dinh/", views.vetting_queue, name="vetting_queue"),
    path("tham-dinh/xac-nhan/", views.vetting_bulk, name="vetting_bulk"),
    path("khen-thuong/", views.award_list, name="award_list"),
    path("khen-thuong/xuat-excel/", views.award_export, name="award_export"),
    path("khen-thuong/them/", views.award_create, name="award_create"),
    path("khen-thuong/giay-khen/", views.award_certificates, name="award_certificates"),
    path("khen-thuong/<id:pk>/giay-khen/", views.award_certificate, name="award_certificate"),
    path("khen-thuong/<id:pk>/xoa/", views.award_delete, name="award_delete"),
    path("khen-thuong/nhap-excel/", views.award_import, name="award_import"),
    path("khen-thuong/mau-excel/", views.award_import_template, name="award_import_template"),
    path("sang-kien/", views.initiative_list, name="initiative_list"),
    path("sang-kien/them/", views.initiative_create, name="initiative_create"),
    path("quy-dinh/", views.rule_list, name="rule_list"),
]
