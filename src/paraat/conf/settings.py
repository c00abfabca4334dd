"""Django settings for paraat.

All values come from environment variables (documented in docs/configuration.md); every one has a
default so that ``paraat`` runs on a laptop with an embedded SQLite database.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from paraat.conf.cache import build_caches
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
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
    "paraat.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "paraat.web.dbfaults.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "paraat.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "paraat.accounts.middleware.TwoFactorMiddleware",
    "paraat.accounts.middleware.LoginRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    # after a change made through the site, public page parts are rendered anew
    "paraat.web.public_cache.PublicCacheMiddleware",
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
        # A kept connection is checked before each request reuses it, so a database restart
        # costs one failed request at most (issue 8); see web/dbfaults.py for that one.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; IMMEDIATE avoids
    # "database is locked" on upgrade of a read transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (shared by every web and task process; see paraat.conf.cache) ----------------------
# redis://host:6379/0 in production, so that rate limits hold across workers and a public page
# part rendered by one worker serves them all; empty: a memory cache per process.
CACHES = build_caches(
    env_str("PARAAT_CACHE_URL", ""),
    # several installations may share one Redis: each keeps to its own keys
    # (by default a prefix derived from the secret key, which all processes of one
    # installation share and no two installations should)
    key_prefix=env_str("PARAAT_CACHE_KEY_PREFIX", "")
    or "paraat-" + hashlib.sha256(SECRET_KEY.encode()).hexdigest()[:12],
)
# Seconds a rendered public page part (societal picture, published advice) is reused at most;
# every change made through the site or by a task renews it at once (paraat.web.public_cache).
PARAAT_PUBLIC_CACHE_SECONDS = env_int("PARAAT_PUBLIC_CACHE_SECONDS", 120)
# Keep public page parts in a per-process memory cache too: only right where one process serves
# every request and runs every task (otherwise a change in one is not seen by the others).
PARAAT_PUBLIC_CACHE_LOCAL = env_bool("PARAAT_PUBLIC_CACHE_LOCAL", False)

# --- Client address behind reverse proxies ---------------------------------------------------
# How many reverse proxies in front of paraat append to X-Forwarded-For (0: none, the client is
# REMOTE_ADDR). The login throttle and the API rate limits both take the client's
# address from this one setting (paraat.web.client_ip); a larger number than the real one lets
# clients choose their own address, so set it to exactly the HTTP proxies you run that set it
# (a TCP proxy speaking the PROXY protocol adds no header: leave 0 then).
PARAAT_PROXY_COUNT = env_int("PARAAT_PROXY_COUNT", 0)

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
# The probes answer over plain HTTP too (load balancers and container health checks).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("PARAAT_HSTS_SECONDS", 0)
if env_bool("PARAAT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AXES_FAILURE_LIMIT = env_int("PARAAT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PARAAT_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("PARAAT_LOGIN_THROTTLING", True)
AXES_CLIENT_IP_CALLABLE = "paraat.web.client_ip.client_ip"

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
    "DEFAULT_SCHEMA_CLASS": "paraat.api.schema.ErrorAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": [
        "paraat.api.throttling.AnonThrottle",
        "paraat.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("PARAAT_API_ANON_RATE", "120/minute"),
        "user": env_str("PARAAT_API_USER_RATE", "2000/minute"),
    },
    "EXCEPTION_HANDLER": "paraat.api.exceptions.exception_handler",
    # The API rate limits count per client address behind the same proxies as the login throttle
    # (paraat.api.throttling identifies clients by paraat.web.client_ip; NUM_PROXIES is the same
    # number for anything else in DRF that reads the address).
    "NUM_PROXIES": PARAAT_PROXY_COUNT,
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
# Free-text remarks about people in the network and at meetings (a candidate's notes, a note on
# someone's attendance such as "afgemeld wegens ziekte") are not copied into the append-only
# audit log either: erasure clears them, and the log must not keep them (review of issue 7).
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    *AUDITLOG_INCLUDE_TRACKING_MODELS,
    {"model": "network.candidate", "exclude_fields": ["notes"]},
    {"model": "preparedness.attendance", "exclude_fields": ["note"]},
)

# --- Accounts: retention (paraat.accounts; see docs/privacy.md) ------------------------------
# `paraat accounts retention` (daily, paraat-retention.timer) deactivates an account that has not
# logged in for this many months, and pseudonymises an account deactivated longer than that
# (name, e-mail and user name replaced; two-factor devices, API token and sessions deleted).
PARAAT_ACCOUNT_RETENTION_MONTHS = env_int("PARAAT_ACCOUNT_RETENTION_MONTHS", 24)

# --- Two-factor authentication and single sign-on (paraat.accounts; see ADR 0021) ------------
# TOTP (an authenticator app) with backup codes, required for the roles below; a user with a
# confirmed device is always asked for a code, whatever the role. The demo script switches the
# requirement off (PARAAT_REQUIRE_2FA=0) and the header then says so.
PARAAT_REQUIRE_2FA = env_bool("PARAAT_REQUIRE_2FA", True)
PARAAT_2FA_REQUIRED_ROLES = env_list(
    "PARAAT_2FA_REQUIRED_ROLES",
    ["beheerder", "cpo-secretariaat", "voorzitter", "commissielid", "expertlid"],
)
OTP_TOTP_ISSUER = env_str("PARAAT_2FA_ISSUER", "paraat")
# django-otp's own throttling: after n wrong codes a device refuses codes for 2^(n-1) seconds.
# Wrong codes also count as failed logins for django-axes (AXES_FAILURE_LIMIT, per user + IP).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Secrets never go into the audit log: the device and backup-code tables are not tracked;
# accounts.services writes one explicit entry per event on the user instead.
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    *AUDITLOG_EXCLUDE_TRACKING_MODELS,
    "otp_totp",
    "otp_static",
)
# OpenID Connect (mozilla-django-oidc): on only when issuer, client id and secret are set. The
# endpoints default to the issuer's Keycloak-style paths; set them explicitly for any other
# identity provider (its /.well-known/openid-configuration lists them).
PARAAT_OIDC_ISSUER = env_str("PARAAT_OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("PARAAT_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("PARAAT_OIDC_CLIENT_SECRET", "")
PARAAT_OIDC_ENABLED = bool(PARAAT_OIDC_ISSUER and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET)
_OIDC_BASE = f"{PARAAT_OIDC_ISSUER}/protocol/openid-connect"
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("PARAAT_OIDC_AUTHORIZATION_ENDPOINT", f"{_OIDC_BASE}/auth")
OIDC_OP_TOKEN_ENDPOINT = env_str("PARAAT_OIDC_TOKEN_ENDPOINT", f"{_OIDC_BASE}/token")
OIDC_OP_USER_ENDPOINT = env_str("PARAAT_OIDC_USERINFO_ENDPOINT", f"{_OIDC_BASE}/userinfo")
OIDC_OP_JWKS_ENDPOINT = env_str("PARAAT_OIDC_JWKS_ENDPOINT", f"{_OIDC_BASE}/certs")
OIDC_RP_SIGN_ALGO = env_str("PARAAT_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("PARAAT_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("PARAAT_OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
# The identity provider does multi-factor authentication: an SSO login counts as verified.
PARAAT_OIDC_TRUST_MFA = env_bool("PARAAT_OIDC_TRUST_MFA", True)
if PARAAT_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "paraat.accounts.oidc.ParaatOIDCBackend"]

# --- Background jobs: recovery when a worker dies (paraat.jobs; issue 8) ----------------------
# A running job's worker writes a heartbeat every PARAAT_JOB_HEARTBEAT_SECONDS. A job whose worker
# process is gone (seen directly on the same machine) or whose heartbeat is older than the lease
# is queued again by `paraat jobs recover` (also run by every task worker at its start and every
# PARAAT_JOB_RECOVER_SECONDS; -1 switches that off), at most PARAAT_JOB_MAX_ATTEMPTS starts in all;
# then it fails with a message. The lease must exceed the longest pause between heartbeats.
PARAAT_JOB_LEASE_SECONDS = env_int("PARAAT_JOB_LEASE_SECONDS", 300)
PARAAT_JOB_MAX_ATTEMPTS = env_int("PARAAT_JOB_MAX_ATTEMPTS", 3)
PARAAT_JOB_HEARTBEAT_SECONDS = env_float("PARAAT_JOB_HEARTBEAT_SECONDS", 30.0)
PARAAT_JOB_RECOVER_SECONDS = env_float("PARAAT_JOB_RECOVER_SECONDS", 60.0)
