"""Small helpers every app's views share."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header

from .documents import DOCX_MIME, build_document, render_docx, render_pdf, row_count
from .exports import PDF_MIME, background_threshold, build_export, export_response
from .hooks import agency
from .services import export_job_create


def require_perm(user, perm, obj=None):
    """403 unless ``user`` has ``perm`` (a django-rules permission), optionally on ``obj``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def apply_service_errors(form, exc):
    """Put a service's ValidationError onto the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


#: A bounded list counts its rows up to this many (``BoundedPaginator``).
LIST_COUNT_LIMIT = 1000
#: No page past this row offset (a number typed in the address).
MAX_OFFSET = 10_000_000


class BoundedPage(Page):
    """A page of a :class:`BoundedPaginator`; past the count limit, whether a next page exists is known from the page
    read with one row more."""

    def __init__(self, object_list, number, paginator, *, more=None):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return super().has_next() if self.more is None else self.more


class BoundedPaginator(Paginator):
    """A paginator whose count stops at ``limit`` + 1 rows (``SELECT COUNT(*) FROM (… LIMIT limit + 1)``, without the
    list's order), so that the count costs the same however long the table grows.

    Up to ``limit`` rows it is Django's paginator (``exact``). Past it the page says “more than ``limit``”, shows its
    number without a total (``num_pages`` is ``None``) and reads one row more than it shows to know whether a next
    page exists; a page number past the end gives the first page."""

    def __init__(self, object_list, per_page, *, limit=None, **kwargs):
        self.limit = LIST_COUNT_LIMIT if limit is None else limit
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.limit + 1].count()

    @property
    def exact(self):
        return self.count <= self.limit

    @cached_property
    def num_pages(self):
        return super().num_pages if self.exact else None

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        return self._validate_number(number, MAX_OFFSET // self.per_page)

    def get_page(self, number):
        if self.exact:
            return super().get_page(number)
        try:
            number = self.validate_number(number)
        except InvalidPage:
            number = 1
        page = self.page(number)
        return page if page.object_list or number == 1 else self.page(1)

    def page(self, number):
        if self.exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom: bottom + self.per_page + 1])
        return BoundedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def _get_page(self, *args, **kwargs):
        return BoundedPage(*args, **kwargs)


def paginate(request, qs, size=None, *, bounded=False):
    """The page ``?page=`` of ``qs``. ``bounded``: count at most ``LIST_COUNT_LIMIT`` rows (:class:`BoundedPaginator`),
    for lists whose table grows without end."""
    paginator = (BoundedPaginator if bounded else Paginator)(qs, size or settings.TDKT_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def export_view(request, key, fmt, *, params=None):
    """Answer an export request: the file at once for small lists, else a background job page."""
    fmt = "pdf" if fmt == "pdf" else "xlsx"
    params = (params if params is not None else request.GET).copy()
    exporter = build_export(key, request.user, params)
    count = exporter.count()
    if count is not None and count > background_threshold(fmt):
        job = export_job_create(user=request.user, key=key, fmt=fmt, params=params, rows=count)
        return redirect("export_job", pk=job.pk)
    return export_response(exporter, fmt, agency=agency())


def document_view(request, key, fmt, *, params, filename, title, back_url=""):
    """Answer a request for an official document (``tdkt.documents`` registry): the PDF (or ``fmt="docx"``: Word) at once,
    or, when its tables hold more rows than the PDF background threshold, a background job and its page (what is being
    made, a link back, "Tệp của tôi")."""
    fmt = "docx" if fmt == "docx" else "pdf"
    document = build_document(key, request.user, params)
    rows = row_count(document)
    if rows > background_threshold("pdf"):
        job = export_job_create(user=request.user, key=key, fmt=fmt, params=params, rows=rows, title=title,
                                back_url=back_url or request.get_full_path(), filename=f"{filename}.{fmt}")
        return redirect("export_job", pk=job.pk)
    content, mime = (render_docx(document), DOCX_MIME) if fmt == "docx" else (render_pdf(document), PDF_MIME)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response
