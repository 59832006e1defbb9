"""Settings for TĐKT, driven by environment variables (django-environ).

Local defaults are safe for a developer machine: DEBUG on, SQLite in ``var/``,
console e-mail. Production sets ``DJANGO_DEBUG=false``, a real secret key and
hosts; every security setting then follows from DEBUG being off, so that
``manage.py check --deploy`` is clean.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# polish (issue 13): DJANGO_DEBUG says "a developer's machine" (plain-HTTP cookies, static files from the apps, a dev
# key); DJANGO_DEBUG_PAGES=false keeps that machine but turns Django's technical error pages off, so that the
# product's own 404/500 pages show. `make run` sets it for the development server.
DEVELOPMENT = DEBUG
if DEVELOPMENT and not env.bool("DJANGO_DEBUG_PAGES", default=True):
    DEBUG = False
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="dev-only-insecure-key-change-me" if DEVELOPMENT else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_filters",
    "axes",
    "tdkt",
    "movements",
    "nominations",
    "councils",
    # After tdkt: tdkt's ``db_worker`` (the package's worker, which first makes sure the periodic task is
    # scheduled: tdkt/periodic.py) takes precedence over the package's command of the same name.
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the request id and the one log line per request cover everything below (tdkt/logs.py).
    "tdkt.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tdkt.security.PrivatePagesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tdkt.urls"
WSGI_APPLICATION = "tdkt.wsgi.application"
ASGI_APPLICATION = "tdkt.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tdkt.context_processors.navigation",
                "tdkt.context_processors.unread_notifications",  # issue 13, part "home"
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tdkt.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tdkt.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: throttle password guessing per user name and IP address.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
# Failures count per user name + address, and per user name across addresses (a spread guess at one
# account is throttled too). Behind a reverse proxy, list its addresses in TDKT_TRUSTED_PROXIES: the
# client's address is then read from X-Forwarded-For, and only then (tdkt.security.client_ip).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_CLIENT_IP_CALLABLE = "tdkt.security.client_ip"
TDKT_TRUSTED_PROXIES = env.list("TDKT_TRUSTED_PROXIES", default=[])
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["tdkt.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
# Production serves collected files (collectstatic → STATIC_ROOT) through WhiteNoise;
# development serves them straight from the app and project folders.
STATIC_ROOT = None if DEVELOPMENT else env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT  # make run (DJANGO_DEBUG_PAGES=false) still serves edited static files
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded dossiers live outside the web root and are served only through
# permission-checked views (never under STATIC/MEDIA URLs).
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest uploaded document (tdkt/uploads.py). nginx's client_max_body_size (deploy/nginx/tdkt.conf)
# must let a request carrying one such file through: change both together.
TDKT_UPLOAD_MAX_BYTES = env.int("TDKT_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Behind nginx: permission-checked downloads are answered with an empty response and this header's path
# (``X-Accel-Redirect: <prefix><stored name>``); nginx serves the file from an ``internal`` location
# (deploy/nginx/tdkt.conf). Empty: Django streams the file itself (development, tests).
TDKT_ACCEL_REDIRECT_PREFIX = env.str("TDKT_ACCEL_REDIRECT_PREFIX", default="")

# Where media files live (deploy/README.md, "Several application servers"): "filesystem" (MEDIA_ROOT, shared by an NFS
# mount when there are several servers) or "s3": a private bucket of an S3-compatible store (AWS S3, MinIO, Ceph …)
# through django-storages. The bucket is never public: a permission-checked download is answered with a redirect to
# a presigned URL valid TDKT_S3_URL_EXPIRY_SECONDS (tdkt/uploads.py), not with X-Accel-Redirect.
TDKT_MEDIA_STORAGE = env.str("TDKT_MEDIA_STORAGE", default="filesystem")
if TDKT_MEDIA_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured(f"TDKT_MEDIA_STORAGE must be 'filesystem' or 's3', not {TDKT_MEDIA_STORAGE!r}")
if TDKT_MEDIA_STORAGE == "s3":
    _s3 = {
        "bucket": env.str("TDKT_S3_BUCKET", default=""),
        "endpoint": env.str("TDKT_S3_ENDPOINT_URL", default=""),
        "region": env.str("TDKT_S3_REGION", default=""),
        "access_key": env.str("TDKT_S3_ACCESS_KEY_ID", default=""),
        "secret_key": env.str("TDKT_S3_SECRET_ACCESS_KEY", default=""),
        "addressing": env.str("TDKT_S3_ADDRESSING_STYLE", default="path"),
        "prefix": env.str("TDKT_S3_PREFIX", default="").strip("/"),
        "expiry": env.int("TDKT_S3_URL_EXPIRY_SECONDS", default=60),
    }
    _s3_problems = [
        problem for problem, wrong in [
            ("TDKT_S3_BUCKET is required", not _s3["bucket"]),
            ("TDKT_S3_ENDPOINT_URL must start with https:// or http://",
             _s3["endpoint"] and not _s3["endpoint"].startswith(("https://", "http://"))),
            ("TDKT_S3_ACCESS_KEY_ID and TDKT_S3_SECRET_ACCESS_KEY go together (both set, or both empty to use the "
             "machine's own credentials, e.g. an instance role)", bool(_s3["access_key"]) != bool(_s3["secret_key"])),
            ("TDKT_S3_ADDRESSING_STYLE must be 'path', 'virtual' or 'auto'", _s3["addressing"] not in ("path", "virtual", "auto")),
            ("TDKT_S3_URL_EXPIRY_SECONDS must be between 1 and 3600", not 1 <= _s3["expiry"] <= 3600),
            ("TDKT_S3_PREFIX must not contain '..' or '//'", ".." in _s3["prefix"].split("/") or "//" in _s3["prefix"]),
        ] if wrong
    ]
    if _s3_problems:
        raise ImproperlyConfigured("TDKT_MEDIA_STORAGE=s3: " + "; ".join(_s3_problems) + ".")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3["bucket"],
            "endpoint_url": _s3["endpoint"] or None,
            "region_name": _s3["region"] or None,
            "access_key": _s3["access_key"] or None,
            "secret_key": _s3["secret_key"] or None,
            "addressing_style": _s3["addressing"],
            "signature_version": "s3v4",
            "location": _s3["prefix"],
            # Private: objects get no ACL of their own (the bucket's, which must block public access), every URL is
            # presigned and short-lived, and a name already taken gets a new one rather than overwriting a file.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": _s3["expiry"],
            "file_overwrite": False,
            "custom_domain": None,
        },
    }

# EMAIL_URL (e.g. smtp+tls://user:pass@mail.example.vn:587) becomes Django 6.1's MAILERS.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    option: _email[key]
    for key, option in [("EMAIL_HOST", "host"), ("EMAIL_PORT", "port"), ("EMAIL_HOST_USER", "username"),
                        ("EMAIL_HOST_PASSWORD", "password"), ("EMAIL_USE_TLS", "use_tls"), ("EMAIL_USE_SSL", "use_ssl")]
    if _email.get(key) not in (None, "")
} if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="tdkt@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# issue 13, part "home": the site's address as users reach it, for the links in notification e-mails
TDKT_BASE_URL = env.str("TDKT_BASE_URL", default="http://127.0.0.1:8000")

TASKS = {
    "default": {
        "BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Content Security Policy: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600

if not DEVELOPMENT:
    # A load balancer probes /healthz over plain HTTP: answer it rather than redirect it.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)

# Logs go to stdout, one line per record: "text" (readable) or "json" (one object per line, for a log
# collector). Every record carries the request id (tdkt/logs.py); one line per request and per task.
TDKT_LOG_FORMAT = env.str("TDKT_LOG_FORMAT", default="text")
if TDKT_LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"TDKT_LOG_FORMAT must be 'text' or 'json', not {TDKT_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tdkt.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"()": "tdkt.logs.TextFormatter"},
        "json": {"()": "tdkt.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json" if TDKT_LOG_FORMAT == "json" else "text",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # Django's own handlers are dropped: its records reach the one console handler through the root.
        "django": {"handlers": [], "level": "INFO"},
        # The per-request line (tdkt.request) replaces the development server's own access line.
        "django.server": {"handlers": [], "level": "WARNING"},
        # Likewise the per-task line (tdkt.task) replaces Django's start/finish lines; a failure keeps its traceback.
        "django.tasks": {"handlers": [], "level": "WARNING"},
    },
}

# Number of rows per page in lists.
TDKT_PAGE_SIZE = 25
# A unit's nomination list imported from Excel with more data rows than this is saved by the task worker
# (manage.py db_worker), with a progress page, instead of within the request (nominations/import_jobs.py).
TDKT_IMPORT_SYNC_MAX_ROWS = env.int("TDKT_IMPORT_SYNC_MAX_ROWS", default=300)
# Exports above these row counts run in the task worker (manage.py db_worker) instead of the request.
# Measured (bench/exports.py): an XLSX of 5,000 nominations takes ≈ 0.6 s; a PDF of 300 nominations is one
# chunk of ≈ 23 pages (≈ 13 rows a page) and takes ≈ 3–4 s. Both stay well inside a worker's timeout.
TDKT_EXPORT_BACKGROUND_ROWS = {"xlsx": env.int("TDKT_EXPORT_BACKGROUND_ROWS_XLSX", default=5000),
                               "pdf": env.int("TDKT_EXPORT_BACKGROUND_ROWS_PDF", default=300)}
# A PDF is laid out this many rows at a time, each chunk written to a temporary file and merged: the
# layout of a chunk (≈ 0.26 MB a row) is all WeasyPrint holds, whatever the length of the document.
TDKT_PDF_CHUNK_ROWS = env.int("TDKT_PDF_CHUNK_ROWS", default=500)

# Operations (deploy/README.md).
# /healthz answers "not ok" when the task worker's heartbeat (written every minute by the periodic task,
# tdkt/periodic.py) is older than this.
TDKT_WORKER_STALE_SECONDS = env.int("TDKT_WORKER_STALE_SECONDS", default=300)
# Retention, applied by the periodic task: background export files (and their jobs) after this many days,
# Excel imports uploaded but never confirmed after this many hours, finished task results after this many
# days. The audit trail and uploaded or issued documents are never pruned.
TDKT_EXPORT_RETENTION_DAYS = env.int("TDKT_EXPORT_RETENTION_DAYS", default=7)
TDKT_IMPORT_STASH_HOURS = env.int("TDKT_IMPORT_STASH_HOURS", default=24)
TDKT_TASK_RESULT_RETENTION_DAYS = env.int("TDKT_TASK_RESULT_RETENTION_DAYS", default=7)
# Where ``manage.py backup`` writes its archive when no --output is given.
TDKT_BACKUP_DIR = env.path("TDKT_BACKUP_DIR", default=VAR_DIR / "backups")

# --- Digital signatures (issue 12, tdkt/signing/) ---
# Two keys: the director's personal signature ("Ký số") and the agency's ("Đóng dấu số"). Each is a PKCS#12 file and
# passphrase, or a PKCS#11 token (module, token label, key label, PIN; a set module wins). The passphrases and PINs
# stay in memory: never in the database or a log line; Django's error pages hide settings named *KEYS*.
TDKT_SIGNING_KEYS = {
    "director": {
        "pkcs12_path": env.str("TDKT_SIGN_DIRECTOR_PKCS12", default=""),
        "pkcs12_passphrase": env.str("TDKT_SIGN_DIRECTOR_PKCS12_PASSPHRASE", default=""),
        "pkcs11_module": env.str("TDKT_SIGN_DIRECTOR_PKCS11_MODULE", default=""),
        "pkcs11_token": env.str("TDKT_SIGN_DIRECTOR_PKCS11_TOKEN", default=""),
        "pkcs11_key_label": env.str("TDKT_SIGN_DIRECTOR_PKCS11_KEY", default=""),
        "pkcs11_pin": env.str("TDKT_SIGN_DIRECTOR_PKCS11_PIN", default=""),
    },
    "agency": {
        "pkcs12_path": env.str("TDKT_SIGN_AGENCY_PKCS12", default=""),
        "pkcs12_passphrase": env.str("TDKT_SIGN_AGENCY_PKCS12_PASSPHRASE", default=""),
        "pkcs11_module": env.str("TDKT_SIGN_AGENCY_PKCS11_MODULE", default=""),
        "pkcs11_token": env.str("TDKT_SIGN_AGENCY_PKCS11_TOKEN", default=""),
        "pkcs11_key_label": env.str("TDKT_SIGN_AGENCY_PKCS11_KEY", default=""),
        "pkcs11_pin": env.str("TDKT_SIGN_AGENCY_PKCS11_PIN", default=""),
    },
}
# A timestamp authority (RFC 3161) for every signature; empty: no timestamp.
TDKT_SIGN_TSA_URL = env.str("TDKT_SIGN_TSA_URL", default="")
# PEM bundle of the trusted root certificates (e.g. the national root CA): the verification page judges against it,
# and signing embeds the validation information of chains that reach it.
TDKT_SIGN_TRUST_ROOTS = env.str("TDKT_SIGN_TRUST_ROOTS", default="")
# The largest PDF the verification page accepts.
TDKT_SIGN_VERIFY_MAX_BYTES = env.int("TDKT_SIGN_VERIFY_MAX_BYTES", default=20 * 1024 * 1024)
