"""The project's URLs plus one that fails, for the tests of the 500 page (tests only: never in the project's URLconf)."""

from django.urls import path

from tdkt.urls import handler403, handler404, handler500  # noqa: F401
from tdkt.urls import urlpatterns as project_urlpatterns


class DeliberateError(Exception):
    pass


def fail(request):
    raise DeliberateError("deliberate failure for the test of the 500 page")


urlpatterns = [path("__test__/loi/", fail), *project_urlpatterns]
