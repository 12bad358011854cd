"""Settings shared by every environment.

Everything that differs between machines comes from environment variables; the
``local``, ``test`` and ``production`` modules only change defaults.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, overload

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from census_coord.export_formats import SafeCSV, SafeXLSX

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


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
    "census_coord.third_party_apps.AxesConfig",  # django-axes, translated name
    "csp",
    # django-rules: the named permission rules of census_coord.policy.
    "rules",
    "accounts",
    "audit",
    "institutions",
    "respondents",
    "enumeration",
    "equipment",
    "sync",
    "censusdb",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp's, the header of a response without a policy of its own built once.
    "census_coord.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is chosen (its page is translated), before anything else that
    # may need the database: a database outage answers 503, not an HTML 500.
    "census_coord.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A session signed in through Django's ModelBackend names accounts.backends.UserBackend.
    "accounts.middleware.SessionBackendMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "census_coord.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # Refuses an over-long upload unread (413), in the user's language.
    "census_coord.uploads.UploadBodyLimitMiddleware",
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
                "census_coord.navigation.navigation",
                "reminders.context_processors.notifications",
                "census_coord.context_processors.census_date",
                "institutions.context_processors.campaigns",
            ],
            # {% load policy %}{% allowed "rule" obj as flag %}: census_coord.policy.
            # {% load fragments %}{% once "name" var … %}: the menu drawn once per process.
            "libraries": {"policy": "census_coord.policy", "fragments": "census_coord.fragments"},
            # {% url %} with the links without arguments reversed once per process;
            # {% extends %} with the root template's blocks found once per template.
            "builtins": ["census_coord.links", "census_coord.extends"],
        },
    },
]

# The embedded default is SQLite next to the code, so `make run` needs no services.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # A kept connection is checked before a request reuses it: after a database
        # restart the request reconnects instead of failing on the dead connection.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
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
    # user.has_perm("token.issue", obj) and {% has_perm %} ask census_coord.policy.
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, reading the user's groups (their role) with the user.
    "accounts.backends.UserBackend",
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
# locale/: the project's catalogues (makemessages). locale_overrides/: Kazakh strings Django's
# own apps (admin, auth, forms) ship untranslated; both win over Django's catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
LANGUAGE_COOKIE_NAME = "census_language"
USE_I18N = True

# Every census date lives in the campaign record; this is only how they are shown.
TIME_ZONE = "Asia/Almaty"
# A fixed census date (YYYY-MM-DD) for demos and training: the product behaves as on that
# day and every page says so (census_coord.clock). Unset: the real date.
_census_today = env("CENSUS_TODAY")
CENSUS_TODAY = dt.date.fromisoformat(_census_today) if _census_today else None
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
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60),
    # Fail fast when Redis is away (issue 17 item 3): an upload must not wait for it.
    "socket_connect_timeout": 2,
}
# Publishing does not retry: a job the broker did not take stays queued with no
# ``enqueued_at``, and the import sweeper hands it over again once Redis is back. Without
# these the web request waited ~19 s (the result backend's 20 reconnects) and then failed.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
}
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_IMPORTS = ("census_coord.tasks",)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps trying to reach Redis for as long as it is away (the default gives up
# after 100 tries and exits, and nothing consumes the next upload). A task running when
# the connection drops runs to its end (its late ack may be lost: the job is finished by
# then, so a re-delivery changes nothing). Issue 17 item 6; tests/respondents/
# test_import_faults.py restarts a real Redis under a real worker.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Separate queues (and workers, see docker-compose.yml) so that a large import never
# delays reminders: imports run on their own worker.
CELERY_TASK_QUEUES = (Queue("default"), Queue("imports"), Queue("reminders"))
CELERY_TASK_ROUTES = {
    "reminders.*": {"queue": "reminders"},
    # The sweeper must not wait behind a long import: exact names win over the patterns.
    "respondents.tasks.import_jobs_sweep": {"queue": "default"},
    "respondents.tasks.*import*": {"queue": "imports"},
    # A large list's PDF takes minutes of CPU: on the imports worker, not before reminders.
    "respondents.tasks.list_paper_render": {"queue": "imports"},
    "censusdb.tasks.*": {"queue": "imports"},
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
    # Uploaded list files past their retention (IMPORT_*_RETENTION_DAYS) are deleted.
    "respondents-retention-files-purge-daily": {
        "task": "respondents.tasks.retention_files_purge",
        "schedule": crontab(hour=3, minute=30),
    },
}

# The cache counts upload throttles: shared by every process when DJANGO_CACHE_URL names a
# Redis database (production), per process otherwise.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("DJANGO_CACHE_URL"),
        }
        if env("DJANGO_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Import jobs that never get stuck (issue 17, items 3-5) ------------------------------
# A queued job not taken by a worker, or a running one without a heartbeat, for this long
# is stalled: the sweeper hands it to a worker again, or fails it with a message once
# IMPORT_MAX_LOST_ATTEMPTS runs ended without a word (a file that kills its worker).
IMPORT_STALL_SECONDS = env_int("IMPORT_STALL_SECONDS", 5 * 60)
# A list's paper with more people than this is rendered by a worker (about 15 ms of CPU a
# person: 2,000 people held a web worker for 30 s); the page then offers the stored file.
LIST_PAPER_BACKGROUND_ROWS = env_int("LIST_PAPER_BACKGROUND_ROWS", 1000)
# A paper queued or being prepared for longer is taken for lost (its worker died, the broker
# forgot it): the page says so and offers to print again.
LIST_PAPER_STALL_SECONDS = env_int("LIST_PAPER_STALL_SECONDS", 20 * 60)
IMPORT_SWEEP_SECONDS = env_int("IMPORT_SWEEP_SECONDS", 60)
IMPORT_MAX_LOST_ATTEMPTS = env_int("IMPORT_MAX_LOST_ATTEMPTS", 2)
# A database error mid-import is retried this many times, after 10 s, 20 s, 40 s ...
IMPORT_DATABASE_RETRIES = env_int("IMPORT_DATABASE_RETRIES", 5)
IMPORT_RETRY_BACKOFF_SECONDS = env_int("IMPORT_RETRY_BACKOFF_SECONDS", 10)
CELERY_BEAT_SCHEDULE["respondent-import-jobs-sweep"] = {
    "task": "respondents.tasks.import_jobs_sweep",
    "schedule": IMPORT_SWEEP_SECONDS,
    # A sweep that waited longer than a period is replaced by the next one.
    "options": {"expires": IMPORT_SWEEP_SECONDS},
}

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a failed token answers 401 with WWW-Authenticate: Token.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Signed in, and allowed the view's rule (census_coord.policy) if it names one.
    "DEFAULT_PERMISSION_CLASSES": ["census_coord.policy.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # JSON bodies; the file uploads name their multipart parser (the schema says which).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "census_coord.schema.ApiAutoSchema",
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
    # Request and response bodies as separate components: a file field is a URL in a
    # response but binary in an upload (a generated client then sends the file itself).
    "COMPONENT_SPLIT_REQUEST": True,
    # Names of the choice sets that are used by more than one field or are too generic.
    "ENUM_NAME_OVERRIDES": {
        "ImportModeEnum": "respondents.models.imports.ImportMode",
        "ImportSourceEnum": "respondents.models.imports.ImportSource",
        "EnumerationMethodEnum": "institutions.choices.EnumerationMethod",
        "NonEnumerationReasonEnum": "enumeration.choices.NonEnumerationReason",
        "EnumerationStatusEnum": "enumeration.choices.EnumerationStatus",
        "DepartureReasonEnum": "respondents.choices.DepartureReason",
        "ReportStateEnum": "institutions.choices.ReportState",
        "ReconciliationSectionEnum": "censusdb.filters.SECTION_CHOICES",
        "ReconciliationGroupEnum": "censusdb.api.reconciliation.GROUP_CHOICES",
    },
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
# Three tiers (accounts/lockout.py): failures of one (username, address) pair, of one
# address over every username, of one username from every address.
AXES_HANDLER = "accounts.lockout.TieredLockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 10)
# Password reset by e-mail (accounts.services.password_reset_request): requests per client
# address and per account within the window; over either, the same answer and no e-mail.
PASSWORD_RESET_WINDOW = dt.timedelta(minutes=env_int("PASSWORD_RESET_WINDOW_MINUTES", 60))
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 5)
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env_int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", 3)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
# Our audit trail records every sign-in and failure; axes need not log each one too.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "census_coord.middleware.client_ip"
# Behind N reverse proxies that append to X-Forwarded-For; 0 means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Django's database sessions, read by a lighter query (accounts.sessions).
SESSION_ENGINE = "accounts.sessions"
# Idle and absolute session timeouts (census_coord.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("DJANGO_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("DJANGO_SESSION_ABSOLUTE_HOURS", 12) * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Messages stay on the server (in the session, in the database) until shown once: the
# cookie storage only signs them, and one of them is a tablet's device key.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# A refused form gets the site's translated 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "census_coord.views.csrf_failure"

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

# No IIN and no query string in any log line: every record is cleaned where it is made
# (audit.masking.logging_configure), and handlers and Django's request and server loggers
# carry the filter too. gunicorn's access log format (gunicorn.conf.py) has no query string.
LOGGING_CONFIG = "audit.masking.logging_configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "audit.masking.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "server": {"()": "audit.masking.MaskingFormatter", "format": "[%(asctime)s] %(message)s"},
    },
    "filters": {"mask_personal_numbers": {"()": "audit.masking.MaskPersonalNumbersFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_numbers"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["mask_personal_numbers"],
        },
    },
    "loggers": {
        "django.request": {"filters": ["mask_personal_numbers"]},
        "django.security": {"filters": ["mask_personal_numbers"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["mask_personal_numbers"],
        },
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# Demo data: password for the demo users (generated and printed when unset).
DEMO_PASSWORD = env("DEMO_PASSWORD", "")

# --- Respondent imports (respondents.importing) ----------------------------------------
# First, so that an upload cut off mid-file is reported as such (census_coord.upload_handlers).
FILE_UPLOAD_HANDLERS = [
    "census_coord.upload_handlers.CutUploadDetector",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
RESPONDENT_IMPORT_MAX_BYTES = env_int("RESPONDENT_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
RESPONDENT_IMPORT_MAX_ROWS = env_int("RESPONDENT_IMPORT_MAX_ROWS", 1_000_000)
# Request bodies (census_coord.uploads.UploadBodyLimitMiddleware): a file part may be as
# large as the largest upload (the import's), a body that and a megabyte more.
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_BYTES", RESPONDENT_IMPORT_MAX_BYTES)
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_BYTES", UPLOAD_MAX_FILE_BYTES + 2**20)
# Uploads for import (respondents.importing.throttling), per uploader and per list, on the
# REST API and the upload page alike; a list has at most one queued or running import.
IMPORT_UPLOAD_RATE_PER_USER = env("IMPORT_UPLOAD_RATE_PER_USER", "20/hour")
IMPORT_UPLOAD_RATE_PER_LIST = env("IMPORT_UPLOAD_RATE_PER_LIST", "10/hour")
# Uploaded files of finished imports are deleted this many days after the job finished
# (respondents.tasks.retention_files_purge, daily): imported ones, refused or failed ones.
IMPORT_FILE_RETENTION_DAYS = env_int("IMPORT_FILE_RETENTION_DAYS", 30)
IMPORT_REFUSED_FILE_RETENTION_DAYS = env_int("IMPORT_REFUSED_FILE_RETENTION_DAYS", 7)
# An XLSX part openpyxl reads whole (shared strings, styles): a worker needs a few times
# this much memory for it. 64 MB holds the shared strings of a million rows.
RESPONDENT_IMPORT_MAX_XLSX_PART_BYTES = env_int(
    "RESPONDENT_IMPORT_MAX_XLSX_PART_BYTES", 64 * 1024 * 1024
)

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
