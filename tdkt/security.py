"""Edges of the deployment: the client's address behind a reverse proxy, no caching of what a logged-in
user sees, and refusal of NUL bytes in request parameters."""

import ipaddress

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def trusted_proxy_networks():
    return [ipaddress.ip_network(value, strict=False) for value in getattr(settings, "TDKT_TRUSTED_PROXIES", [])]


def client_ip(request):
    """The client's address for login throttling (django-axes ``AXES_CLIENT_IP_CALLABLE``).

    ``X-Forwarded-For`` is believed only when the connection comes from a trusted proxy
    (``TDKT_TRUSTED_PROXIES``); the client is then the right-most address that is not itself a trusted
    proxy, so a client cannot choose its address by sending the header itself.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_proxy_networks()
    if not networks or not _is_trusted(remote, networks):
        return remote or None
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote
    return remote or None


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every page and download a logged-in user receives (no shared
    cache or browser history keeps another unit's records), and 400 for NUL bytes in parameters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(_("Yêu cầu chứa ký tự không hợp lệ."), content_type="text/plain; charset=utf-8")
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header("Content-Disposition"):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _has_nul(params):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in params.lists())
