"""Settings shared by every environment.

Everything that differs between machines comes from environment variables; the
``local``, ``test`` and ``production`` modules only change defaults.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from census_coord.export_formats import SafeCSV, SafeXLSX

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "axes",
    "csp",
    "accounts",
    "audit",
    "institutions",
    "respondents",
    "equipment",
    "sync",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "census_coord.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "census_coord.middleware.NoStoreMiddleware",
    "audit.middleware.AuditMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "census_coord.urls"
WSGI_APPLICATION = "census_coord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "reminders.context_processors.notifications",
            ],
        },
    },
]

# The embedded default is SQLite next to the code, so `make run` needs no services.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes first: it refuses a locked-out (username, address) before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kazakh is the default, Russian and English are offered everywhere.
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "census_language"
USE_I18N = True

# Every census date lives in the campaign record; this is only how they are shown.
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (signed scans, import files) live outside the web root and are only
# served through views that check permissions.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = None

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "census@localhost")
# Where links in emails point (reminders); no trailing slash needed.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# --- Celery ---------------------------------------------------------------------------
# Without a broker the tasks run in-process (eagerly), so the embedded default needs
# no Redis. With CELERY_BROKER_URL set they go to real workers.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged after it finishes, and re-queued if its worker dies, so every
# task must be idempotent (each says so in its docstring).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 50 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 55 * 60)
# Redis re-delivers an unacknowledged task after this long: it must exceed the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)
}
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_IMPORTS = ("census_coord.tasks",)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Separate queues (and workers, see docker-compose.yml) so that a large import never
# delays reminders: imports run on their own worker.
CELERY_TASK_QUEUES = (Queue("default"), Queue("imports"), Queue("reminders"))
CELERY_TASK_ROUTES = {
    "reminders.*": {"queue": "reminders"},
    "respondents.tasks.*import*": {"queue": "imports"},
}
# Local time (CELERY_TIMEZONE). Both tasks are idempotent, so a doubled beat is harmless.
CELERY_BEAT_SCHEDULE = {
    "reminders-evaluate-hourly": {
        "task": "reminders.tasks.reminders_evaluate_and_send",
        "schedule": crontab(minute=env_int("REMINDERS_MINUTE", 5)),
    },
    "reminders-department-digest-daily": {
        "task": "reminders.tasks.department_digest_send",
        "schedule": crontab(hour=env_int("REMINDERS_DIGEST_HOUR", 8), minute=0),
    },
}

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a failed token answers 401 with WWW-Authenticate: Token.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "census_coord.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Census coordination API",
    "DESCRIPTION": "Institutions, respondent lists, enumeration and tablet sync records.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Tablet sync (sync app) -------------------------------------------------------------
# A tablet whose last sync is older than this during the tablet window is flagged stale.
SYNC_STALE_HOURS = env_int("SYNC_STALE_HOURS", 24)
# How far a tablet's own sync mark may run ahead of the server clock before it is refused.
SYNC_FUTURE_TOLERANCE_MINUTES = env_int("SYNC_FUTURE_TOLERANCE_MINUTES", 10)

IMPORT_EXPORT_USE_TRANSACTIONS = True
# CSV and XLSX only, both neutralising formula cells on export (ASVS 1.2.10).
IMPORT_EXPORT_FORMATS = [SafeCSV, SafeXLSX]
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Security: sign-in, sessions, headers ----------------------------------------------
# Lockout per (username, address) pair: failures from one address cannot lock the user
# out of another (e.g. their office).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Our audit trail records every sign-in and failure; axes need not log each one too.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "census_coord.middleware.client_ip"
# Behind N reverse proxies that append to X-Forwarded-For; 0 means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Idle and absolute session timeouts (census_coord.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("DJANGO_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("DJANGO_SESSION_ABSOLUTE_HOURS", 12) * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts anywhere (the Swagger UI loads its init script from a URL).
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No IIN in the logs: 12-digit numbers are masked before any handler writes them.
    "filters": {"mask_personal_numbers": {"()": "audit.masking.MaskPersonalNumbersFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_numbers"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# Demo data: password for the demo users (generated and printed when unset).
DEMO_PASSWORD = env("DEMO_PASSWORD", "")

# --- Respondent imports (respondents.importing) ----------------------------------------
RESPONDENT_IMPORT_MAX_BYTES = env_int("RESPONDENT_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
RESPONDENT_IMPORT_MAX_ROWS = env_int("RESPONDENT_IMPORT_MAX_ROWS", 1_000_000)

# The issuing body printed on acts and certificates, per document language. Configuration,
# not template text: another region's department (or a renamed agency) changes it here or
# in the deployment's settings module.
DEPARTMENT_DETAILS = {
    "kk": {
        "name": (
            "Қазақстан Республикасы Стратегиялық жоспарлау және реформалар агенттігі "
            "Ұлттық статистика бюросының Ақмола облысы бойынша департаменті"
        ),
        "address": "020000, Ақмола облысы, Көкшетау қ., Абай к-сі, 96",
        "place": "Көкшетау қ.",
    },
    "ru": {
        "name": (
            "Департамент Бюро национальной статистики Агентства по стратегическому "
            "планированию и реформам Республики Казахстан по Акмолинской области"
        ),
        "address": "020000, Акмолинская область, г. Кокшетау, ул. Абая, 96",
        "place": "г. Кокшетау",
    },
}
