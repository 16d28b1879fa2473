"""SafePath settings. Every value comes from the environment (see config/env.py and docs/deploy.md).

``SAFEPATH_MODE`` picks the safety level:

- ``production`` (the default): refuses to start without ``SAFEPATH_SECRET_KEY`` and a keyring.
- ``demo``: a laptop or field demo; generates its own secrets in the data directory, relaxes
  two-factor sign-in and says so on every page.
- ``development``: like demo; every mode but production honours ``SAFEPATH_DEBUG``.

A data directory made in demo or development mode records that mode (``DATA_DIR/mode``), so
that ``safepath audit verify`` and the other verbs work on it with nothing set; see
``env.recorded_mode`` for when that record is honoured (never over a production secret).
The engine verbs (``safepath screen``, ``link``, ``finance`` ...) use ``settings_engine.py``:
no secret, no database, no keyring (``core/engine_verbs.py``).
"""

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from safepath.config import env
from safepath.core import keyring

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env.read("SAFEPATH_DATA_DIR") or (BASE_DIR.parent / "var")).resolve()
MODE = env.read("SAFEPATH_MODE") or env.recorded_mode(DATA_DIR) or "production"
if MODE not in {"production", "demo", "development", "test", env.ENGINE_MODE}:
    raise env.MissingSettingError(
        f"SAFEPATH_MODE must be production, demo, development or test, not {MODE!r}."
    )
PRODUCTION = MODE == "production"
DEMO_MODE = MODE in {"demo", "development"}
# The engine verbs' mode (settings_engine.py): files in, files out, nothing else.
ENGINE_ONLY = MODE == env.ENGINE_MODE

# --- secrets -------------------------------------------------------------------------------
# The keyring is a file (SAFEPATH_KEYRING_FILE, which `safepath keys rotate` can rewrite) or,
# without rotation, JSON in SAFEPATH_KEYRING. Neither takes the NAME_FILE form: the file *is*
# the keyring.
_keyring_file = env.plain("SAFEPATH_KEYRING_FILE")
KEYRING_JSON = env.plain("SAFEPATH_KEYRING")
if PRODUCTION:
    env.require_production_secrets()
    SECRET_KEY = env.require("SAFEPATH_SECRET_KEY")
    if _keyring_file and not Path(_keyring_file).is_file():
        raise env.MissingSettingError(
            f"SafePath cannot start: the keyring file {_keyring_file} (SAFEPATH_KEYRING_FILE) "
            "does not exist or is not readable."
        )
    KEYRING_FILE = Path(_keyring_file) if _keyring_file else None
elif ENGINE_ONLY:
    # Nothing is signed, stored or encrypted: a throw-away key, and no keyring at all.
    SECRET_KEY = secrets.token_urlsafe(50)
    KEYRING_FILE, KEYRING_JSON = None, None
else:
    env.record_mode(DATA_DIR, MODE)
    SECRET_KEY = env.read("SAFEPATH_SECRET_KEY") or keyring.local_secret(DATA_DIR / "secrets")
    if _keyring_file:
        KEYRING_FILE = Path(_keyring_file)
    elif KEYRING_JSON:
        KEYRING_FILE = None
    else:
        KEYRING_FILE = keyring.local_keyring_file(DATA_DIR / "secrets")

DEBUG = env.flag("SAFEPATH_DEBUG") and not PRODUCTION
ALLOWED_HOSTS = env.csv("SAFEPATH_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.csv("SAFEPATH_CSRF_TRUSTED_ORIGINS")

# --- applications ----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "safepath.core",
    "safepath.accounts",
    "safepath.audit",
    "safepath.cases",
    "safepath.screening",
    "safepath.referrals",
    "safepath.linkage",
    "safepath.evidence",
    "safepath.finance",
    "safepath.participation",
    "safepath.emergency",
    "safepath.online",
    "safepath.notify",
    "safepath.exchange",
    "safepath.demo",
    "safepath.home",
]

MIDDLEWARE = [
    "safepath.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "safepath.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safepath.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "safepath.core.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "safepath.config.urls"
WSGI_APPLICATION = "safepath.config.wsgi.application"

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
                "safepath.home.context_processors.shell",
                "safepath.notify.context_processors.unread",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------------------
_database_url = env.read("DATABASE_URL")
DATABASES: dict[str, Any]
if ENGINE_ONLY:
    # Any query is a bug in an engine verb; this backend says so instead of guessing.
    DATABASES = {"default": {"ENGINE": "safepath.config.no_database"}}
elif _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite has one writer at a time, and every audited read writes. WAL lets reads go on beside
    # a write; a writer that finds the lock taken waits up to this long before failing, which
    # covers the short write steps of imports and other bulk work (docs/deploy.md).
    _sqlite_busy_seconds = env.integer("SAFEPATH_SQLITE_BUSY_TIMEOUT_SECONDS", 30)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "safepath.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": _sqlite_busy_seconds,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={_sqlite_busy_seconds * 1000};",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication and sessions -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = env.integer("SAFEPATH_SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the session expires after that many idle minutes
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
API_TOKEN_HOURS = env.integer("SAFEPATH_API_TOKEN_HOURS", 12)
# Pruning (`safepath prune`, and daily in the worker): how long what has expired or finished is
# kept before it is deleted. Expired tokens are kept a while so that a client is told "expired"
# rather than "unknown"; sign-in records serve the lockout and investigations of misuse.
PRUNE_EXPIRED_TOKENS_AFTER = timedelta(days=env.integer("SAFEPATH_PRUNE_TOKENS_DAYS", 7))
PRUNE_SIGN_IN_RECORDS_AFTER = timedelta(days=env.integer("SAFEPATH_PRUNE_SIGN_INS_DAYS", 90))
PRUNE_TASK_RESULTS_AFTER = timedelta(days=env.integer("SAFEPATH_PRUNE_TASK_RESULTS_DAYS", 30))
# Retention (`safepath retention`, and daily in the worker): days after a case's closure when each
# data category of it is erased, as "category=days" pairs (cases/retention.py reads them), for
# example "contact=365,notes=1825,identity=3650". A category without a period is kept: set them
# with your data-protection authority and under national law. Empty: nothing is erased.
RETENTION_PERIODS = env.read("SAFEPATH_RETENTION_DAYS", "") or ""

# Lockout: five failures for one username lock it for fifteen minutes.
AXES_FAILURE_LIMIT = env.integer("SAFEPATH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("SAFEPATH_LOCKOUT_MINUTES", 15))
# Locked by username, not by address: field offices and mobile carriers put many staff behind
# one address, and an address lockout would shut out a whole office.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safepath.accounts.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "SafePath"
MFA_RELAXED = DEMO_MODE and env.flag("SAFEPATH_DEMO_RELAX_MFA", default=True)
DEMO_PASSWORD = env.read("SAFEPATH_DEMO_PASSWORD", "safepath-demo")

# Single sign-on (OpenID Connect; docs/deploy.md, "Single sign-on"): SAFEPATH_OIDC_PROVIDERS names
# the providers ("keycloak,entra"); each has SAFEPATH_OIDC_<NAME>_ISSUER (its discovery document
# is fetched from there), _CLIENT_ID, _CLIENT_SECRET (or _CLIENT_SECRET_FILE), and optionally
# _LABEL (the button's words), _SCOPES, _MFA_AMR (amr values that count as a second factor,
# default "mfa,otp,hwk") and _MFA_ACR (acr values that do). Role and agency come from the rules
# an administrator sets (accounts.SsoClaimRule).
OIDC_PROVIDERS = env.oidc_providers(production=PRODUCTION)

# --- HTTP security ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.flag("SAFEPATH_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.integer("SAFEPATH_HSTS_SECONDS", 31_536_000)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
DATA_UPLOAD_MAX_MEMORY_SIZE = env.integer("SAFEPATH_MAX_BODY_BYTES", 1_048_576)
# Uploads: the one limit for an uploaded file (case documents, ODK/Kobo exports), used by the API,
# the forms and their help text. A multipart request may be this plus UPLOAD_ENVELOPE_BYTES (the
# other fields and the multipart headers); the reverse proxy must allow as much (docs/deploy.md).
# Files up to the limit stay in memory: an upload is never written unencrypted to a temp file.
MAX_UPLOAD_BYTES = env.integer("SAFEPATH_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
UPLOAD_ENVELOPE_BYTES = 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES

# --- internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# One date format and one date-and-time format per language (safepath/core/dates.py).
FORMAT_MODULE_PATH = ["safepath.core.formats"]

# --- static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION or env.flag("SAFEPATH_MANIFEST_STATIC")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safepath.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "safepath.accounts.permissions.TwoFactorSatisfied",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "safepath.core.pagination.Pagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "safepath.core.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "safepath.core.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SafePath API",
    "DESCRIPTION": "Case management and coordination for the prevention and ending of child "
    "trafficking. Every read of a child's record is audited.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # every webhook event's payload as a component (safepath/notify/schema.py)
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safepath.notify.schema.add_webhook_events",
    ],
    # one name per shared choice set, so clients get stable enum names across endpoints
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "safepath.cases.vocabulary.CaseStatus",
        "DurableSolutionEnum": "safepath.cases.vocabulary.DurableSolution",
        "ReferralStatusEnum": "safepath.referrals.models.ReferralStatus",
        "ParticipationActionStatusEnum": "safepath.participation.models.ActionStatus",
    },
}

# --- screening -------------------------------------------------------------------------------
# For children the ILO means are not required: "legal" (default) asks exploitation AND an act
# recorded; "ilo_strict" asks exploitation AND a positive recruitment dimension.
SCREENING_CHILD_RULE = env.read("SAFEPATH_SCREENING_CHILD_RULE", "legal") or "legal"
if SCREENING_CHILD_RULE not in {"legal", "ilo_strict"}:
    raise env.MissingSettingError("SAFEPATH_SCREENING_CHILD_RULE must be legal or ilo_strict.")

# --- case management --------------------------------------------------------------------------
# From this age a transition plan to adulthood is required (ICAT action 2).
CASE_TRANSITION_PLAN_AGE = env.integer("SAFEPATH_CASE_TRANSITION_PLAN_AGE", 17)
# An unaccompanied or separated child without a guardian this many days after identification
# raises an alert.
CASE_GUARDIAN_DUE_DAYS = env.integer("SAFEPATH_CASE_GUARDIAN_DUE_DAYS", 3)

# --- record linkage ---------------------------------------------------------------------------
# Splink's backend: "duckdb" (one machine, the default) or "spark" (national scale; needs pyspark
# and a JVM, see docs/linkage/engine.md).
SAFEPATH_LINKAGE_BACKEND = env.read("SAFEPATH_LINKAGE_BACKEND", "duckdb") or "duckdb"
if SAFEPATH_LINKAGE_BACKEND not in {"duckdb", "spark"}:
    raise env.MissingSettingError("SAFEPATH_LINKAGE_BACKEND must be duckdb or spark.")

# --- online safety ---------------------------------------------------------------------------
# The hotline that receives public reports (an agency code; default: the first hotline).
ONLINE_INTAKE_AGENCY = env.read("SAFEPATH_ONLINE_INTAKE_AGENCY", "") or ""
# Public submissions and status look-ups allowed per address per hour.
ONLINE_REPORT_PER_HOUR = env.integer("SAFEPATH_ONLINE_REPORTS_PER_HOUR", 5)
ONLINE_STATUS_PER_HOUR = env.integer("SAFEPATH_ONLINE_STATUS_PER_HOUR", 20)
# Behind a proxy, the header that carries the client's address (e.g. HTTP_X_REAL_IP).
ONLINE_CLIENT_ADDRESS_HEADER = env.read("SAFEPATH_ONLINE_CLIENT_ADDRESS_HEADER", "") or ""
# Escalate a notice whose removal is not confirmed after these many hours.
ONLINE_ESCALATION_HOURS = [
    int(h) for h in env.csv("SAFEPATH_ONLINE_ESCALATION_HOURS", "24,72") if h.strip()
]
# Largest file hashed (in memory, never written to disk).
ONLINE_MAX_FILE_BYTES = env.integer("SAFEPATH_ONLINE_MAX_FILE_BYTES", 25 * 1024 * 1024)

# --- notifications: e-mail and SMS (docs/deploy.md, "E-mail and SMS") ---------------------------
# Links in e-mails and SMS point here (the address people open SafePath at).
SITE_URL = env.read("SAFEPATH_SITE_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000"
EMAIL_HOST = env.read("SAFEPATH_EMAIL_HOST", "") or ""
EMAIL_PORT = env.integer("SAFEPATH_EMAIL_PORT", 25)
EMAIL_HOST_USER = env.read("SAFEPATH_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env.read("SAFEPATH_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env.flag("SAFEPATH_EMAIL_STARTTLS")
EMAIL_USE_SSL = env.flag("SAFEPATH_EMAIL_SSL")
EMAIL_TIMEOUT = env.integer("SAFEPATH_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env.read("SAFEPATH_EMAIL_FROM", "SafePath <safepath@localhost>") or ""
if EMAIL_HOST or PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:  # a demo or development machine without a mail server: e-mails land in DATA_DIR/mail
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = EMAIL_HOST or "localhost"
# SMS: "rapidpro" (SAFEPATH_SMS_URL, SAFEPATH_SMS_TOKEN), "test" (kept in memory) or "none".
SMS_CHANNEL = env.read("SAFEPATH_SMS_CHANNEL", "") or ("none" if PRODUCTION else "test")
if SMS_CHANNEL not in {"rapidpro", "test", "none"}:
    raise env.MissingSettingError("SAFEPATH_SMS_CHANNEL must be rapidpro, test or none.")
SMS_URL = env.read("SAFEPATH_SMS_URL", "") or ""
SMS_TOKEN = env.read("SAFEPATH_SMS_TOKEN", "") or ""
# Daily and weekly (Mondays) digests go at this hour of each person's local time.
NOTIFY_DIGEST_HOUR = env.integer("SAFEPATH_NOTIFY_DIGEST_HOUR", 7)

# --- exchange between instances (exchange app, docs/exchange.md) ----------------------------
# This instance's own signing and encryption keys, kept like the keyring: a file that
# `safepath exchange keys init|rotate` writes. Demo and development keep one in the data
# directory, made on first use; production without it exchanges nothing (and says so).
_exchange_keys_file = env.plain("SAFEPATH_EXCHANGE_KEYS_FILE")
EXCHANGE_KEYS_FILE: Path | None = (
    Path(_exchange_keys_file)
    if _exchange_keys_file
    else (None if PRODUCTION or ENGINE_ONLY else DATA_DIR / "secrets" / "exchange_keys.json")
)
EXCHANGE_KEYS_MADE_ON_FIRST_USE = not _exchange_keys_file and not PRODUCTION
# A message larger than this is refused before it is opened (a case with documents of 10 MB
# each travels in one message, so the limit is generous but finite).
EXCHANGE_MAX_MESSAGE_BYTES = env.integer("SAFEPATH_EXCHANGE_MAX_MESSAGE_BYTES", 64 * 1024 * 1024)
# How long a message stays valid after it is sent; retries stop when it expires.
EXCHANGE_MESSAGE_DAYS = env.integer("SAFEPATH_EXCHANGE_MESSAGE_DAYS", 7)
# --- webhooks and API clients (docs/integrations.md) -------------------------------------------
# Plain-HTTP webhook addresses: development only. Private, loopback and link-local addresses:
# never in production (server-side request forgery), checked when subscribing and when sending.
WEBHOOK_ALLOW_HTTP = MODE == "development" and env.flag("SAFEPATH_WEBHOOK_ALLOW_HTTP", default=True)
WEBHOOK_ALLOW_PRIVATE = not PRODUCTION and env.flag(
    "SAFEPATH_WEBHOOK_ALLOW_PRIVATE", default=MODE == "development"
)
# Seconds a subscriber has to connect and to answer each step of a delivery.
WEBHOOK_TIMEOUT = env.integer("SAFEPATH_WEBHOOK_TIMEOUT", 10)
# A subscriber whose attempts fail this many times in a row is paused (the administrator is told).
WEBHOOK_PAUSE_AFTER = env.integer("SAFEPATH_WEBHOOK_PAUSE_AFTER", 20)
# Requests an API client may make (DRF throttle rate, per client); over it: 429 with Retry-After.
API_CLIENT_RATE = env.read("SAFEPATH_API_CLIENT_RATE", "600/minute") or "600/minute"

# --- background work -------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- logging: IDs, never names ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "safepath.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env.read("SAFEPATH_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
