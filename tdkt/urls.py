from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from . import views
from .converters import IdConverter, YearConverter
from .forms import PasswordResetRequestForm
from .signing import views as signing_views

# Before the apps' URLs are included: they use <id:…> and <year:…>.
register_converter(IdConverter, "id")
register_converter(YearConverter, "year")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # polish (issue 13): "Quên mật khẩu" — a one-time link by e-mail (tdkt/accounts.py, templates/registration/)
    path("quen-mat-khau/", auth_views.PasswordResetView.as_view(form_class=PasswordResetRequestForm), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dat-mat-khau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("dat-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("lich-su/<str:app_label>/<str:model>/<id:pk>/", views.audit_history, name="audit_history"),
    path("xuat/<uuid:pk>/", views.export_job, name="export_job"),
    path("xuat/<uuid:pk>/tai-ve/", views.export_job_download, name="export_job_download"),
    # Digital signatures (issue 12): the verification page.
    path("kiem-tra-chu-ky/", signing_views.verify, name="signature_verify"),
    path("tep-cua-toi/", views.my_files, name="my_files"),  # part: docs, issue 11
    # notifications (issue 13, part "home")
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/<id:pk>/mo/", views.inbox_open, name="inbox_open"),
    path("thong-bao/<id:pk>/da-doc/", views.inbox_mark_read, name="inbox_mark_read"),
    path("thong-bao/da-doc-het/", views.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("thong-bao/tuy-chon/", views.notification_preferences, name="notification_preferences"),
    path("bieu-do/excel/", views.chart_export, name="chart_export"),
    path("", include("movements.urls")),
    path("de-nghi/", include("nominations.urls")),
    path("hoi-dong/", include("councils.urls")),
    path("quan-tri/", admin.site.urls),
]

handler403 = "tdkt.views.error_403"
handler404 = "tdkt.views.error_404"
handler500 = "tdkt.views.error_500"
