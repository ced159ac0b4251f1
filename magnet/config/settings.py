"""Magnet's one settings module: every value comes from the environment (see `env.py`).

Development defaults are safe to run on a laptop (SQLite under MAGNET_DATA_DIR, keys derived from a
published constant). With `MAGNET_ENV=production` every unsafe default refuses to start, and
`manage.py check --deploy` is clean.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import dj_database_url

from magnet.config.env import (
    ImproperSetting,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent  # the `magnet` package
REPO_DIR = BASE_DIR.parent

MAGNET_ENV = env_str("MAGNET_ENV", "development")
if MAGNET_ENV not in {"development", "production"}:
    raise ImproperSetting(f"MAGNET_ENV must be development or production, found {MAGNET_ENV!r}")
PRODUCTION = MAGNET_ENV == "production"

MAGNET_DATA_DIR = Path(env_str("MAGNET_DATA_DIR", str(REPO_DIR / "var"))).resolve()
MAGNET_DATA_DIR.mkdir(parents=True, exist_ok=True)
# Grants: days a list of grants is published before approval (公示), and the batch total above which a
# second staff member must approve a payment batch too.
MAGNET_PUBLICITY_DAYS = env_int("MAGNET_PUBLICITY_DAYS", 7)
MAGNET_BATCH_SECOND_APPROVAL_ABOVE = env_str("MAGNET_BATCH_SECOND_APPROVAL_ABOVE", "1000000")
# Policy books shipped with the platform: one folder per book (see magnet/core/radar/book.py).
MAGNET_POLICY_BOOKS = Path(env_str("MAGNET_POLICY_BOOKS", str(REPO_DIR / "magnet" / "policybooks"))).resolve()
(MAGNET_DATA_DIR / "static").mkdir(exist_ok=True)

_DEV_SECRET = "django-insecure-magnet-development-only-" + "0" * 24

SECRET_KEY = env_secret("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def _dev_key(label: str) -> str:
    # Development keys are derived from a published constant: fine for demo data, refused in production.
    return base64.b64encode(hashlib.sha256(f"magnet-dev-{label}".encode()).digest()).decode()


# Field encryption (identity numbers, phones): AES-256-GCM keys by id, the first one current, older ones
# kept for decryption during rotation; and the HMAC key of the blind index used for look-ups.
MAGNET_FIELD_KEYS = env_secret("MAGNET_FIELD_KEYS", "" if PRODUCTION else f"dev1:{_dev_key('field')}")
MAGNET_INDEX_KEY = env_secret("MAGNET_INDEX_KEY", "" if PRODUCTION else _dev_key("index"))

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{MAGNET_DATA_DIR / 'magnet.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Immediate transactions take the write lock up front, so two writers queue on the busy timeout
    # instead of failing with "database is locked" when one upgrades a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str("MAGNET_TEST_SQLITE", "") or None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "magnet.apps.common",
    "magnet.apps.audit",
    "magnet.apps.accounts",
    "magnet.apps.reference",
    "magnet.apps.feeds",
    "magnet.apps.democity",
    "magnet.apps.talentcode",
    "magnet.apps.radar",
    "magnet.apps.talentmap",
    "magnet.apps.inbox",
    "magnet.apps.grants",
    "magnet.apps.matching",
]

MIDDLEWARE = [
    "magnet.apps.common.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "magnet.apps.common.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "magnet.apps.accounts.middleware.SessionPolicyMiddleware",
    "magnet.apps.common.middleware.AccessPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "magnet.apps.common.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "magnet.config.urls"
WSGI_APPLICATION = "magnet.config.wsgi.application"
ASGI_APPLICATION = "magnet.config.asgi.application"

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
                "magnet.apps.common.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["magnet.apps.accounts.backends.RoleAwareModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "common:home"
LOGOUT_REDIRECT_URL = "common:landing"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "magnet.apps.accounts.validators.StaffPasswordLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff passwords are changed at most this many days apart (等保 periodic change; 0 switches it off).
MAGNET_STAFF_PASSWORD_MAX_AGE_DAYS = env_int("MAGNET_STAFF_PASSWORD_MAX_AGE_DAYS", 90)

# Sessions: absolute lifetime 12 h; idle limits by role are enforced by SessionPolicyMiddleware.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
MAGNET_IDLE_TIMEOUT_STAFF = env_int("MAGNET_IDLE_TIMEOUT_STAFF", 15 * 60)
MAGNET_IDLE_TIMEOUT_OTHERS = env_int("MAGNET_IDLE_TIMEOUT_OTHERS", 30 * 60)

# The talent code's issuer (the CWT "iss" claim): the city's platform URL.
MAGNET_TALENT_CODE_ISSUER = env_str("MAGNET_TALENT_CODE_ISSUER", "https://talent.3206.example.gov.cn")
# Seconds a talent code shown on the talent's page stays valid (the page fetches a new one every minute).
MAGNET_TALENT_CODE_TTL = env_int("MAGNET_TALENT_CODE_TTL", 120)

# One-time SMS codes and lock-out (AU-2, AU-6).
MAGNET_SMS_BACKEND = env_str("MAGNET_SMS_BACKEND", "magnet.apps.accounts.sms.ConsoleBackend")
MAGNET_SMS_CODE_TTL = env_int("MAGNET_SMS_CODE_TTL", 300)
MAGNET_SMS_RESEND_INTERVAL = env_int("MAGNET_SMS_RESEND_INTERVAL", 60)
MAGNET_SMS_MAX_PER_HOUR = env_int("MAGNET_SMS_MAX_PER_HOUR", 5)
MAGNET_LOGIN_MAX_FAILURES = env_int("MAGNET_LOGIN_MAX_FAILURES", 5)
MAGNET_LOGIN_LOCK_MINUTES = env_int("MAGNET_LOGIN_LOCK_MINUTES", 15)
MAGNET_LOGIN_MAX_FAILURES_PER_IP = env_int("MAGNET_LOGIN_MAX_FAILURES_PER_IP", 30)

# The Django admin lives on a non-default path and only for administrators with a verified second factor.
MAGNET_ADMIN_PATH = env_str("MAGNET_ADMIN_PATH", "console/system-admin/")
MAGNET_ADMIN_ALLOWED_IPS = env_list("MAGNET_ADMIN_ALLOWED_IPS", ["127.0.0.1", "::1"])
OTP_TOTP_ISSUER = "Magnet 人才服务平台"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = MAGNET_DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAGNET_FEED_UPLOAD_MAX_BYTES = env_int("MAGNET_FEED_UPLOAD_MAX_BYTES", 512 * 1024 * 1024)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str("MAGNET_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security headers (CF-2). The CSP allows no inline script: htmx is served from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "magnet.apps.common.logging.JsonFormatter"}},
    "filters": {"request_id": {"()": "magnet.apps.common.logging.RequestIdFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}


def _refuse_unsafe_production_settings() -> None:
    """With MAGNET_ENV=production, refuse to start on any setting that is only fit for development."""
    problems = []
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the platform's host names")
    if not MAGNET_FIELD_KEYS or "dev1:" in MAGNET_FIELD_KEYS:
        problems.append("MAGNET_FIELD_KEYS must hold the field-encryption keys (kid:base64,…)")
    if not MAGNET_INDEX_KEY or MAGNET_INDEX_KEY == _dev_key("index"):
        problems.append("MAGNET_INDEX_KEY must hold the blind-index key")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append("DATABASE_URL must point at PostgreSQL in production")
    if "ConsoleBackend" in MAGNET_SMS_BACKEND or "OutboxBackend" in MAGNET_SMS_BACKEND:
        problems.append("MAGNET_SMS_BACKEND must be a real gateway in production")
    if problems:
        raise ImproperSetting("Unsafe settings for production: " + "; ".join(problems))


if PRODUCTION:
    _refuse_unsafe_production_settings()
