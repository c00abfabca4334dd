"""Django settings for paraat.

All values come from environment variables (documented in docs/configuration.md); every one has a
default so that ``paraat`` runs on a laptop with an embedded SQLite database.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from paraat.conf.env import env_bool, env_float, env_int, env_list, env_str
from paraat.conf.logging import build_logging

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("PARAAT_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("PARAAT_DEBUG", False)
SECRET_KEY = env_str("PARAAT_SECRET_KEY", "")
if not SECRET_KEY:
    # A per-installation key, generated once and kept in the data directory.
    from paraat.conf.secret import secret_key_from_data_dir

    SECRET_KEY = secret_key_from_data_dir(DATA_DIR)

ALLOWED_HOSTS = env_list("PARAAT_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("PARAAT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "paraat.accounts",
    "paraat.audit",
    "paraat.jobs",
    "paraat.taxonomies",
    "paraat.indicators",
    "paraat.measures",
    "paraat.evidence",
    "paraat.assessments",
    "paraat.advice",
    "paraat.network",
    "paraat.panels",
    "paraat.preparedness",
    "paraat.activation",
    "paraat.exercises",
    "paraat.web",
    "paraat.api",
    "paraat.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "paraat.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "paraat.accounts.middleware.LoginRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "paraat.urls"
WSGI_APPLICATION = "paraat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "paraat.web.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'paraat.sqlite3'}"),
        conn_max_age=env_int("PARAAT_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; IMMEDIATE avoids
    # "database is locked" on upgrade of a read transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

SECURE_COOKIES = env_bool("PARAAT_SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("PARAAT_SESSION_AGE", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("PARAAT_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("PARAAT_HSTS_SECONDS", 0)
if env_bool("PARAAT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AXES_FAILURE_LIMIT = env_int("PARAAT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PARAAT_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("PARAAT_LOGIN_THROTTLING", True)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Audit trail (django-auditlog; see ADR 0006) ---------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "admin",
    "axes",
    "auditlog",
    "authtoken",  # a token's primary key is the secret itself: never copy it into the log
    "contenttypes",
    "django_tasks_db",
    "jobs.job",
    "measures.policyrecord",
    "measures.indexvalue",
    "indicators.observation",
    # Append-only already; each row holds a whole file and result, confidential figures
    # included, which must not be copied into the log.
    "assessments.assessmentversion",
)
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "measures.measure", "m2m_fields": {"groups", "sectors"}},
    {"model": "measures.package"},
    {
        "model": "accounts.user",
        "exclude_fields": ["last_login", "password"],
        "m2m_fields": {"groups"},
    },
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("last_login",)
AUDITLOG_MASK_TRACKING_FIELDS = ("password",)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("PARAAT_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_IMPORT_UPLOAD_BYTES = env_int("PARAAT_MAX_IMPORT_MB", 200) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "PARAAT_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("PARAAT_STATIC_FROM_FINDERS", DEBUG)

# --- E-mail ---------------------------------------------------------------------------------
# Absolute address of the site, for links in e-mails (no request to derive it from).
PARAAT_SITE_URL = env_str("PARAAT_SITE_URL", "http://localhost:8000").rstrip("/")
# Every mail goes through the outgoing queue (paraat.ops.mail): stored with the change that caused
# it, delivered by the task worker through PARAAT_EMAIL_DELIVERY_BACKEND, retried while the mail
# server is down. Production sets the delivery backend to SMTP.
EMAIL_BACKEND = env_str("PARAAT_EMAIL_BACKEND", "paraat.ops.mail.OutboxBackend")
PARAAT_EMAIL_DELIVERY_BACKEND = env_str(
    "PARAAT_EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
PARAAT_MAIL_MAX_ATTEMPTS = env_int("PARAAT_MAIL_MAX_ATTEMPTS", 12)
PARAAT_MAIL_RETRY_MAX_MINUTES = env_int("PARAAT_MAIL_RETRY_MAX_MINUTES", 60)
PARAAT_MAIL_KEEP_DAYS = env_int("PARAAT_MAIL_KEEP_DAYS", 30)
EMAIL_HOST = env_str("PARAAT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PARAAT_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PARAAT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("PARAAT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PARAAT_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("PARAAT_FROM_EMAIL", "paraat <noreply@localhost>")

# --- Advice process ---------------------------------------------------------------------------
# Deadline of an urgent request after receipt (hours) and of a long-term one (days); the
# quorum as a fraction of the people with voting rights (more than this share must take part;
# 0.5 = more than half, as for Dutch collegial bodies); reminders this many hours before a
# deadline (input requests and votes).
PARAAT_ADVICE_URGENT_HOURS = env_int("PARAAT_ADVICE_URGENT_HOURS", 48)
PARAAT_ADVICE_LONG_TERM_DAYS = env_int("PARAAT_ADVICE_LONG_TERM_DAYS", 28)
PARAAT_ADVICE_QUORUM = env_float("PARAAT_ADVICE_QUORUM", 0.5)
PARAAT_ADVICE_REMIND_HOURS = env_int("PARAAT_ADVICE_REMIND_HOURS", 12)

# --- Background tasks (django-tasks; see ADR 0003) ------------------------------------------
TASKS = {"default": {"BACKEND": env_str("PARAAT_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["paraat.api.permissions.ModelPermissionsOrReadOnly"],
    # DRF's JSON parser, but hostile nesting is a 400, not a RecursionError (a 500).
    "DEFAULT_PARSER_CLASSES": [
        "paraat.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("PARAAT_API_ANON_RATE", "120/minute"),
        "user": env_str("PARAAT_API_USER_RATE", "2000/minute"),
    },
    "EXCEPTION_HANDLER": "paraat.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "paraat API",
    "DESCRIPTION": "Versioned REST API of paraat (Maatschappelijk Impact Team).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "GeographicScopeEnum": "paraat.measures.models.GeographicScope",
        "ConfidentialityEnum": "paraat.accounts.models.Confidentiality",
        # The advice process: fields called ``kind``, ``status`` or ``to`` carry these.
        "AdviceStatusEnum": "paraat.advice.models.AdviceStatus",
        "AdviceRequestKindEnum": "paraat.advice.models.RequestKind",
        "AdviceFollowUpKindEnum": "paraat.advice.models.FollowUpKind",
        "AdoptionStatusEnum": "paraat.advice.models.AdoptionStatus",
        # Standby (paraat.preparedness): fields called ``mode``, ``kind`` and ``status``.
        "PreparednessModeEnum": "paraat.preparedness.models.Mode",
        "DecisionModeEnum": "paraat.advice.models.DecisionMode",
        "MeetingKindEnum": "paraat.preparedness.models.MeetingKind",
        "MeetingStatusEnum": "paraat.preparedness.models.MeetingStatus",
        "PlaybookActionStatusEnum": "paraat.preparedness.models.PlaybookActionStatus",
    },
}

# --- Operations (paraat.ops) ----------------------------------------------------------------
# security.txt (RFC 9116): where to report a vulnerability, and the policy page.
PARAAT_SECURITY_CONTACT = env_str("PARAAT_SECURITY_CONTACT", "mailto:security@paraat.example")
PARAAT_SECURITY_POLICY_URL = env_str("PARAAT_SECURITY_POLICY_URL", "")

# --- Logging --------------------------------------------------------------------------------
# Plain lines (development) or one JSON object per line (production); see conf/logging.py.
LOGGING = build_logging(env_str("PARAAT_LOG_LEVEL", "INFO"), env_str("PARAAT_LOG_FORMAT", "plain"))

# --- Domain settings ------------------------------------------------------------------------
PARAAT_SHARED_DATA_DIR = Path(
    env_str("PARAAT_SHARED_DATA_DIR", str(PACKAGE_DIR.parent.parent.parent / "shared" / "data"))
)

# --- Citizen panel (paraat.panels; see ADR 0017) --------------------------------------------
# Anonymous answers must not be linkable to the panelist through the audit log's timestamps:
# responses, answers and ballots are never logged, and a panelist's e-mail address is not
# copied into the log (it must disappear when the panelist asks to be deleted).
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    *AUDITLOG_EXCLUDE_TRACKING_MODELS,
    "panels.response",
    "panels.answer",
    "panels.ballot",
)
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    *AUDITLOG_INCLUDE_TRACKING_MODELS,
    {"model": "panels.panelist", "exclude_fields": ["email"]},
)

# --- Network (paraat.network; see ADR 0016) -------------------------------------------------
# Coverage: a discipline or group with fewer current contacts than this is flagged, and a contact
# whose availability was not confirmed within this many months counts as stale.
PARAAT_NETWORK_MIN_CONTACTS = env_int("PARAAT_NETWORK_MIN_CONTACTS", 2)
PARAAT_NETWORK_STALE_MONTHS = env_int("PARAAT_NETWORK_STALE_MONTHS", 12)
# A person's work e-mail and phone are not copied into the append-only audit log (they must
# disappear when the person asks to be deleted or the retention date passes).
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    *AUDITLOG_INCLUDE_TRACKING_MODELS,
    {"model": "network.person", "exclude_fields": ["email", "phone"]},
)
# Standby (paraat.preparedness): minimum meeting cadence per mode/scenario level, overriding
# paraat_core.cadence.DEFAULT_INTERVALS (e.g. "standby=12m,mild=1m,flu_plus=14d"), and the
# largest meeting document accepted.
PARAAT_PREPAREDNESS_CADENCE = env_str("PARAAT_PREPAREDNESS_CADENCE", "")
PARAAT_MEETING_DOCUMENT_MAX_MB = env_int("PARAAT_MEETING_DOCUMENT_MAX_MB", 20)
