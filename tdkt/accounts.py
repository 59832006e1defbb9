"""Password links by e-mail: "Quên mật khẩu" (Django's PasswordResetView) and the link the office sends to a
new account or to an account whose password must be set again. Both send the same Vietnamese e-mail
(``templates/registration/password_reset_email.html`` and ``…_subject.txt``) through ``EMAIL_URL``.

A link is Django's one-time token: it stops working once the password is set (or changed) and after
``PASSWORD_RESET_TIMEOUT`` (3 days). A deactivated account gets no link from "Quên mật khẩu" and cannot log in even
after using an earlier one.
"""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
BODY_TEMPLATE = "registration/password_reset_email.html"


def send_password_link(user, *, domain, use_https, new_account=False):
    """E-mail ``user`` a link to set their password (``domain``: the host the link names, e.g. ``request.get_host()``)."""
    context = {
        "email": user.email, "domain": domain, "site_name": "TĐKT", "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)), "user": user, "token": default_token_generator.make_token(user),
        "new_account": new_account,
    }
    PasswordResetForm().send_mail(SUBJECT_TEMPLATE, BODY_TEMPLATE, context, None, user.email)
