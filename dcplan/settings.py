"""dcplan settings.

Everything a deployment changes comes from environment variables, read
through the small helpers below. With no variables at all the project
boots for development: SQLite under var/, DEBUG on. A malformed variable
raises SettingsError naming the variable; manage.py and wsgi.py print it
as a one-line error instead of a traceback.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

from dcplan.settings_errors import SettingsError

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean: use true or false.")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise SettingsError(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_days(name: str, default: str) -> list[int]:
    """A comma-separated list of whole numbers of days ≥ 0, largest first: "14,7,1"."""
    raw = env_str(name, default)
    try:
        days = sorted({int(item) for item in raw.split(",") if item.strip()}, reverse=True)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a comma-separated list of whole numbers.") from None
    if not days or days[-1] < 0:
        raise SettingsError(f"{name}={raw!r} must list at least one number of days, none negative.")
    return days


SUPPORTED_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}


def parse_database_url(url: str) -> dict:
    """Turn postgres://user:pw@host:port/name?sslmode=… or sqlite:///path into DATABASES['default'].

    dj-database-url reads the URL (query parameters become OPTIONS, a
    percent-encoded socket directory becomes HOST); anything it cannot read,
    or an engine dcplan does not run on, is one line naming DATABASE_URL."""
    try:
        config = dj_database_url.parse(
            url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except (ValueError, dj_database_url.UnknownSchemeError, dj_database_url.ParseError):
        config = {}
    if config.get("ENGINE") not in SUPPORTED_ENGINES:
        raise SettingsError(
            f"DATABASE_URL={url!r} is not understood: use postgres://user:password@host:port/name "
            "or sqlite:///path."
        )
    if not config.get("NAME"):
        raise SettingsError(
            "DATABASE_URL: the URL needs a database name (postgres://user@127.0.0.1:5432/dcplan) "
            "or a file path (sqlite:///var/db.sqlite3)."
        )
    if config["ENGINE"].endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0  # a file: nothing to keep open between requests
    else:
        config["PORT"] = str(config.get("PORT") or "")
        options = config.setdefault("OPTIONS", {})
        # A database that does not answer must not hold a worker until gunicorn's
        # own timeout: give up connecting, and stop any one statement, in seconds.
        options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=1))
        statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT", 30)
        if statement_timeout and "statement_timeout" not in options.get("options", ""):
            options["options"] = (
                f"{options.get('options', '')} -c statement_timeout={statement_timeout * 1000}".strip()
            )
    return config


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise SettingsError(
            "SECRET_KEY must be set to a random string of at least 32 characters when DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise SettingsError("ALLOWED_HOSTS must list the host names this site answers to when DEBUG is off.")

VAR_DIR = Path(env_str("DCPLAN_VAR_DIR", str(BASE_DIR / "var")))
# The SQLite file and collected static files live here; a fresh clone has no var/ yet.
(VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)

if env_str("DATABASE_URL"):
    DATABASES = {"default": parse_database_url(env_str("DATABASE_URL"))}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "dcplan.sqlite3")}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a concurrent writer instead of failing at once with "database is locked",
    # and take the write lock at the start of every transaction so that two
    # transactions never upgrade a read lock into a deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not memory, so that concurrent-request tests see real locking.
    # One file per test process, so that parallel runs do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_dcplan_{os.getpid()}.sqlite3")}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_countries",
    "csp",
    "axes",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "deliverables",
    "examples",
    "spreadsheets",
    "reporting",
    "planning",
    "renders",
    "operations",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses pages (BREACH: see README, "HTML compression"). Before everything that writes the body.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session or the database: refuses NUL characters and over-long values.
    "dcplan.middleware.RequestLimitsMiddleware",
    "dcplan.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dcplan.middleware.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dcplan.urls"
WSGI_APPLICATION = "dcplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dcplan.access.context",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Throttles sign-ins before the real backend sees them.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock the pair (user name, address), not the address: field offices often share
# one address, and one person's typos must not lock out a whole office.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "operations.audit.client_ip"
# The user name as recorded with a failure: cut to the throttling table's 255 characters.
AXES_USERNAME_CALLABLE = "operations.audit.attempted_username"
# How many reverse proxies stand in front of the app and append to X-Forwarded-For.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_VERBOSE = False

CSRF_FAILURE_VIEW = "dcplan.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Background jobs (review renders): django-tasks with its database backend;
# `manage.py db_worker` runs them (`make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
# The language management commands print in (README, "Languages"); e-mails
# follow each recipient's own language instead.
COMMAND_LANGUAGE = env_str("DCPLAN_COMMAND_LANGUAGE", LANGUAGE_CODE)
if COMMAND_LANGUAGE not in dict(LANGUAGES):
    raise SettingsError(
        f"DCPLAN_COMMAND_LANGUAGE={COMMAND_LANGUAGE!r} is not one of {', '.join(dict(LANGUAGES))}."
    )
# Catalogues compiled by `make install` (see README, "Languages").
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["dcplan.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Zurich")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded attachments live outside the static files and are only served
# through a view that checks permissions; there is no MEDIA_URL route.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# The mid-term review PDF renders in a child process that is stopped after this many seconds.
REPORT_RENDER_TIMEOUT = env_int("REPORT_RENDER_TIMEOUT", 60, minimum=1)

# A deliverable whose latest update is older than this many months is flagged stale.
DCPLAN_STALE_MONTHS = env_int("DCPLAN_STALE_MONTHS", 6, minimum=1)
# send_reminders e-mails this many days before a round's deadline, and once after it.
DCPLAN_REMINDER_DAYS = env_days("DCPLAN_REMINDER_DAYS", "14,7,1")

# The admin's spreadsheet export needs the model's "view" permission, its import
# the "add" permission (and "change", see deliverables/spreadsheet_admin.py):
# being staff is not enough. The staff pages' imports and exports check their own.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=60)
# The age counts from the last request (inactivity timeout), but a session is
# written at most once per SESSION_REFRESH_SECONDS (dcplan.middleware), not on
# every page view: reading a page needs no database write.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 5 * 60, minimum=1)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Everything a page needs comes from this site; no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]  # load balancers probe over plain HTTP
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dcplan@localhost")
# Whom the 403 and 404 pages tell people to ask (PARDEV); without it they name PARDEV in words.
DCPLAN_SUPPORT_EMAIL = env_str("DCPLAN_SUPPORT_EMAIL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"one_line_database_errors": {"()": "dcplan.logs.OneLineDatabaseErrors"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["one_line_database_errors"],
        }
    },
    "loggers": {
        "dcplan": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Country names as the United Nations writes them (UNTERM short names), in the
# interface and in the review, where django-countries' common names differ.
COUNTRIES_OVERRIDE = {
    "BN": gettext_lazy("Brunei Darussalam"),
    "BO": gettext_lazy("Bolivia (Plurinational State of)"),
    "FM": gettext_lazy("Micronesia (Federated States of)"),
    "GB": gettext_lazy("United Kingdom of Great Britain and Northern Ireland"),
    "IR": gettext_lazy("Iran (Islamic Republic of)"),
    "KP": gettext_lazy("Democratic People's Republic of Korea"),
    "KR": gettext_lazy("Republic of Korea"),
    "LA": gettext_lazy("Lao People's Democratic Republic"),
    "MD": gettext_lazy("Republic of Moldova"),
    "NL": gettext_lazy("Netherlands (Kingdom of the)"),
    "RU": gettext_lazy("Russian Federation"),
    "SY": gettext_lazy("Syrian Arab Republic"),
    "TZ": gettext_lazy("United Republic of Tanzania"),
    "VE": gettext_lazy("Venezuela (Bolivarian Republic of)"),
    "VN": gettext_lazy("Viet Nam"),
}
