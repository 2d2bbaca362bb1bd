"""One settings module, configured by environment variables (see .env.example).

DJANGO_ENV=development (the default) gives safe local defaults: an embedded SQLite database
under var/, a development secret key, mail written to files. DJANGO_ENV=production
requires SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and FIELD_ENCRYPTION_KEYS and turns on every HTTPS protection
that `manage.py check --deploy` asks for.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from otop import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.text("OTOP_VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env.choice("DJANGO_ENV", "development", ("development", "production"))
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.flag("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise env.SettingError("DEBUG must be false when DJANGO_ENV=production")

if PRODUCTION:
    SECRET_KEY = env.text("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise env.SettingError("SECRET_KEY must be at least 50 random characters in production")
    ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise env.SettingError("ALLOWED_HOSTS is required in production (comma-separated host names)")
else:
    SECRET_KEY = env.text("SECRET_KEY", "development-only-key-never-used-in-production-0123456789")
    ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

# Keys that encrypt national ID and bank account numbers in the database (core.encryption): Fernet keys
# (32 random bytes, URL-safe base64), comma-separated, newest first. The first encrypts, every one decrypts;
# after adding a key, `manage.py rotate_field_keys` re-encrypts every value with it and the old key can go.
if PRODUCTION:
    FIELD_ENCRYPTION_KEYS = env.listing("FIELD_ENCRYPTION_KEYS", [])
    if not FIELD_ENCRYPTION_KEYS:
        raise env.SettingError(
            "FIELD_ENCRYPTION_KEYS is required in production (Fernet keys, newest first, comma-separated)"
        )
else:
    FIELD_ENCRYPTION_KEYS = env.listing(
        "FIELD_ENCRYPTION_KEYS",
        # A development key derived from the development secret: stable across restarts, never a production one.
        [base64.urlsafe_b64encode(hashlib.sha256(f"field-encryption:{SECRET_KEY}".encode()).digest()).decode()],
    )
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        _raw_key = base64.urlsafe_b64decode(_key.encode())
    except (ValueError, binascii.Error):
        _raw_key = b""
    if len(_raw_key) != 32:
        raise env.SettingError("FIELD_ENCRYPTION_KEYS must be Fernet keys (32 bytes in URL-safe base64)")

CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS", [])
# How many proxies of ours (load balancer, nginx) stand in front and append to X-Forwarded-For; the
# client address used for rate limits is the entry the outermost of them added. 0: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0, minimum=0)
# The public address: printed QR codes (shelf labels), links in e-mails, LINE and shared cards. Unset, it is the
# address `make run` serves (scripts/run_server.sh sets OTOP_SERVED_URL from PORT), else http://127.0.0.1:8000.
SITE_URL = env.text("SITE_URL", env.text("OTOP_SERVED_URL", "http://127.0.0.1:8000")).rstrip("/")
# Tax document numbers start again each Buddhist-era "year" or each "month" (otop.tax).
TAX_NUMBERING_PERIOD = env.choice("TAX_NUMBERING_PERIOD", "year", ("year", "month"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "csp",
    "ninja",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_prometheus",
    # geo before core: reference data is put back in this order (the center's profile names a province).
    "otop.geo",
    "otop.core",
    "otop.accounts",
    "otop.notifications",
    "otop.producers",
    "otop.catalog",
    "otop.search",
    "otop.selection",
    "otop.inventory",
    "otop.orders",
    "otop.payments",
    "otop.tax",
    "otop.pos",
    "otop.workspace",
    "otop.shipping",
    "otop.channels",
    "otop.reports",
    "otop.backoffice",
    "otop.storefront",
    "otop.demo",
    "otop.privacy",
]

MIDDLEWARE = [
    # Counts and times every request (/metrics); its pair comes just before Axes, below.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "otop.core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "otop.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "otop.core.middleware.HeadAsGetMiddleware",
    "otop.core.middleware.RejectBadAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "otop.core.middleware.ApiLanguageMiddleware",
    "otop.core.middleware.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "otop.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Axes must come last: it answers a locked-out sign-in before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "otop.urls"
WSGI_APPLICATION = "otop.wsgi.application"

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
                "otop.core.context_processors.center",
            ],
            "builtins": ["otop.core.templatetags.otop"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env.text("DATABASE_URL", "" if PRODUCTION else f"sqlite:///{VAR_DIR / 'otop.sqlite3'}")
if not DATABASE_URL:
    raise env.SettingError("DATABASE_URL is required in production (e.g. postgres://user:pass@host/otop)")
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=env.integer("DB_CONN_MAX_AGE", 60))
except (ValueError, KeyError) as error:
    raise env.SettingError(f"DATABASE_URL is malformed: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN, so concurrent sellers queue on busy_timeout instead of failing with
    # "database is locked" halfway through a sale. Connections are kept like PostgreSQL's
    # (DB_CONN_MAX_AGE): opening one and running the pragmas costs more than a cached page.
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    _database["TEST"] = {"NAME": str(VAR_DIR / "test-otop.sqlite3")}
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database.setdefault("OPTIONS", {})
else:
    raise env.SettingError("DATABASE_URL must be a sqlite:// or postgres:// URL")
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
# Every cache that app servers must agree on uses the default cache: story pages and the home page,
# the center's profile, stock locations, catalogue feeds, rate limits (core.throttle), the bank's token.
# With REDIS_URL it is Redis, shared by every app server; without it, memory in each process (one
# machine). What stays per process on purpose (functools.lru_cache) is derived from code or immutable
# input only: Thai segmentation and romanization of a word, spelling keys, label and feed formatting,
# the rendition font. None of it can differ between servers, so none of it needs sharing.
REDIS_URL = env.text("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.text("CACHE_KEY_PREFIX", "otop"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "otop"}}
# Sessions live in the database (Django's default engine, named here so nobody moves them to local
# files): any app server reads a session another one wrote.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Users and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "otop.accounts.backends.PhoneOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "storefront:home"

AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A phone number counts as one identity however it is typed (otop.accounts.backends.sign_in_identity).
AXES_USERNAME_CALLABLE = "otop.accounts.backends.sign_in_identity"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# A second factor (an authenticator app) for the roles that reach people's data and the money.
TWO_FACTOR_REQUIRED = env.flag("TWO_FACTOR_REQUIRED", default=True)
TWO_FACTOR_ROLES = ("manager", "staff")
OTP_TOTP_ISSUER = "OTOP Center"
# Staff sessions end after this many minutes without a request (a shared counter computer).
STAFF_IDLE_MINUTES = env.integer("STAFF_IDLE_MINUTES", 30, minimum=1)

# --- Internationalisation: Thai first -----------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "otop_language"

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/sarabun", BASE_DIR / "node_modules" / "@fontsource" / "sarabun"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.text("MEDIA_ROOT", str(VAR_DIR / "media")))
# The embedded single-machine mode serves uploaded media itself; with several app servers
# media lives on S3-compatible storage behind its own URL (docs/architecture.md).
SERVE_MEDIA = env.flag("SERVE_MEDIA", default=not PRODUCTION)
# Certificates and application files: outside MEDIA_ROOT, served only by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env.text("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.flag("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# MEDIA_STORAGE=s3: public media and the private documents on S3-compatible object storage (django-storages),
# for several app servers. Public photos are read by visitors at MEDIA_URL when it is an absolute address
# (a proxy in front of the bucket, deploy/nginx.conf), else straight from the bucket, signed when
# AWS_QUERYSTRING_AUTH is true. Private documents are always signed and only ever read through the
# permission-checked views.
MEDIA_STORAGE = env.choice("MEDIA_STORAGE", "filesystem", ("filesystem", "s3"))
if MEDIA_STORAGE == "s3":
    _s3 = {
        "endpoint_url": env.text("AWS_S3_ENDPOINT_URL", "") or None,
        "region_name": env.text("AWS_S3_REGION_NAME", "us-east-1"),
        "access_key": env.text("AWS_ACCESS_KEY_ID"),
        "secret_key": env.text("AWS_SECRET_ACCESS_KEY"),
        "signature_version": "s3v4",
        "addressing_style": env.choice("AWS_S3_ADDRESSING_STYLE", "path", ("path", "virtual", "auto")),
        "file_overwrite": False,
        "default_acl": None,
        "querystring_expire": env.integer("AWS_QUERYSTRING_EXPIRE", 3600, minimum=1),
    }
    _media_url = env.text("MEDIA_URL", "")
    _public = {
        **_s3,
        "bucket_name": env.text("AWS_STORAGE_BUCKET_NAME"),
        "querystring_auth": env.flag("AWS_QUERYSTRING_AUTH", default=False),
    }
    if "://" in _media_url:
        MEDIA_URL = _media_url.rstrip("/") + "/"
        _public["url_protocol"], _public["custom_domain"] = MEDIA_URL.rstrip("/").split("//", 1)
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _public}
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "bucket_name": env.text("AWS_PRIVATE_BUCKET_NAME"), "querystring_auth": True},
    }
    SERVE_MEDIA = False
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.choice(
            "TASK_BACKEND",
            "django_tasks_db.DatabaseBackend",
            ("django_tasks_db.DatabaseBackend", "django_tasks.backends.immediate.ImmediateBackend"),
        )
    }
}

# --- E-mail ---------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "OTOP Center <no-reply@otop-center.local>")
EMAIL_HOST = env.text("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.integer("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.text("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", default=True)
else:
    # Without a mail server, messages are written to var/mail so nothing is lost.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- LINE Official Account (otop.channels.line) ----------------------------------------------
# Without the secret and the token the channel is off: the webhook answers 404 and nothing is sent.
LINE_CHANNEL_SECRET = env.text("LINE_CHANNEL_SECRET", "")
LINE_CHANNEL_ACCESS_TOKEN = env.text("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_API_BASE_URL = env.text("LINE_API_BASE_URL", "https://api.line.me").rstrip("/")
LINE_DATA_API_BASE_URL = env.text("LINE_DATA_API_BASE_URL", "https://api-data.line.me").rstrip("/")
LINE_LIFF_ID = env.text("LINE_LIFF_ID", "")
# Messenger (the Facebook page's chat): off unless the app secret, verify token and page token are all set.
FACEBOOK_APP_SECRET = env.text("FACEBOOK_APP_SECRET", "")
FACEBOOK_VERIFY_TOKEN = env.text("FACEBOOK_VERIFY_TOKEN", "")
FACEBOOK_PAGE_ACCESS_TOKEN = env.text("FACEBOOK_PAGE_ACCESS_TOKEN", "")
FACEBOOK_GRAPH_API_BASE_URL = env.text("FACEBOOK_GRAPH_API_BASE_URL", "https://graph.facebook.com").rstrip("/")
FACEBOOK_GRAPH_API_VERSION = env.text("FACEBOOK_GRAPH_API_VERSION", "v21.0")

# --- SMS (otop.notifications.sms, ThaiBulkSMS API v2) ------------------------------------------
# With the API key and secret, one-time codes go by SMS to guests who gave a phone number and to shoppers
# who sign up with one; without them the phone option says that SMS is not set up.
THAIBULKSMS_API_BASE_URL = env.text("THAIBULKSMS_API_BASE_URL", "https://api-v2.thaibulksms.com").rstrip("/")
THAIBULKSMS_API_KEY = env.text("THAIBULKSMS_API_KEY", "")
THAIBULKSMS_API_SECRET = env.text("THAIBULKSMS_API_SECRET", "")
THAIBULKSMS_SENDER = env.text("THAIBULKSMS_SENDER", "")
THAIBULKSMS_FORCE = env.choice("THAIBULKSMS_FORCE", "corporate", ("corporate", "standard"))

# --- The bank's bill payment API (otop.payments.bank) ------------------------------------------
# With a biller ID the center's QR is a bill payment (tag 30) naming the order; with the API key,
# secret and callback secret the bank's payment confirmations are taken (else the callback is a 404).
BANK_API_BASE_URL = env.text("BANK_API_BASE_URL", "").rstrip("/")
BANK_API_KEY = env.text("BANK_API_KEY", "")
BANK_API_SECRET = env.text("BANK_API_SECRET", "")
BANK_BILLER_ID = env.text("BANK_BILLER_ID", "")
BANK_CALLBACK_SECRET = env.text("BANK_CALLBACK_SECRET", "")
# --- The card and e-wallet gateway (otop.payments.gateway, Opn Payments/Omise's charges API) ------------
# With the secret key cards and e-wallets are charged; with the webhook secret (base64, as the gateway's
# dashboard shows it) its signed events are taken (else the webhook is a 404).
GATEWAY_API_BASE_URL = env.text("GATEWAY_API_BASE_URL", "https://api.omise.co").rstrip("/")
GATEWAY_PUBLIC_KEY = env.text("GATEWAY_PUBLIC_KEY", "")
GATEWAY_SECRET_KEY = env.text("GATEWAY_SECRET_KEY", "")
GATEWAY_WEBHOOK_SECRET = env.text("GATEWAY_WEBHOOK_SECRET", "")
# --- Carriers (otop.shipping) -------------------------------------------------------------------
# Flash Express Open API; without the merchant id and key Flash is left out of the quotes.
FLASH_API_BASE_URL = env.text("FLASH_API_BASE_URL", "https://open-api.flashexpress.com").rstrip("/")
FLASH_MCH_ID = env.text("FLASH_MCH_ID", "")
FLASH_API_KEY = env.text("FLASH_API_KEY", "")
# Thailand Post Track API; without the token open parcels are not polled.
THAILANDPOST_TRACK_API_BASE_URL = env.text(
    "THAILANDPOST_TRACK_API_BASE_URL", "https://trackapi.thailandpost.co.th"
).rstrip("/")
THAILANDPOST_TRACK_TOKEN = env.text("THAILANDPOST_TRACK_TOKEN", "")

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# No page of ours uses these browser features; a page that needs one (the till's camera) widens it.
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.flag("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The load balancer's health checks and Prometheus talk to each app server directly, inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_MAX_LIMIT = 100
NINJA_PAGINATION_PER_PAGE = 20

# Prometheus scrapes /metrics from these networks only (everyone else gets a 404); the proxy refuses it too.
METRICS_ALLOWED_NETWORKS = env.listing("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])
PROMETHEUS_EXPORT_MIGRATIONS = False

# LOG_FORMAT=json (production's default): one JSON object a line, for a log collector; plain for a terminal.
# Every line carries the request id (core.requestid), in the worker too for the tasks a request queued.
LOG_FORMAT = env.choice("LOG_FORMAT", "json" if PRODUCTION else "plain", ("json", "plain"))
# Where the operator keeps server log files (gunicorn's access log, rotated files): the privacy app's
# retention rule deletes files older than its keeping time (default 90 days).
LOG_DIR = Path(env.text("LOG_DIR", str(VAR_DIR / "logs")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "otop.core.logcontext.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; a 20-page label sheet would fill the log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
