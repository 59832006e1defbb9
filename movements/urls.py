from django.urls import path

from . import views

app_name = "movements"

urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/them/", views.unit_form, name="unit_create"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/sua/", views.unit_form, name="unit_edit"),
    path("don-vi/<int:pk>/trang-thai/", views.unit_toggle_active, name="unit_toggle_active"),
    path("don-vi/<int:pk>/xep-loai/", views.unit_rating, name="unit_rating"),
    path("ca-nhan/", views.person_list, name="person_list"),
    path("ca-nhan/them/", views.person_create, name="person_create"),
    path("ca-nhan/<int:pk>/", views.person_detail, name="person_detail"),
    path("ca-nhan/<int:pk>/sua/", views.person_edit, name="person_edit"),
    path("ca-nhan/<int:pk>/chuc-vu/", views.person_position, name="person_position"),
    path("ca-nhan/<int:pk>/trang-thai/", views.person_toggle_active, name="person_toggle_active"),
    path("ca-nhan/<int:pk>/xep-loai/", views.person_rating, name="person_rating"),
    path("ca-nhan/<int:pk>/ky-luat/", views.discipline_create, {"kind": "ca-nhan"}, name="person_discipline"),
    path("don-vi/<int:pk>/ky-luat/", views.discipline_create, {"kind": "don-vi"}, name="unit_discipline"),
    path("co-quan/", views.agency_profile_edit, name="agency_profile"),
]
