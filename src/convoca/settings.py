"""Django settings. Every value that varies between installations comes from `convoca.config`."""

import sys
from pathlib import Path

from convoca import config as _config
from convoca.core.languages import DJANGO_LANGUAGES

try:
    CONVOCA = _config.load()
except _config.ConfigError as error:
    sys.stderr.write(f"Convoca configuration error: {error}\n")
    raise SystemExit(2) from None

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = CONVOCA.secret_key
DEBUG = CONVOCA.debug
ALLOWED_HOSTS = CONVOCA.allowed_hosts

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "csp",
    "convoca.core",
    "convoca.gate",
    "convoca.links",
    "convoca.campaigns",
    "convoca.statements",
    "convoca.moderation",
    "convoca.actions",
    "convoca.cards",
    "convoca.dashboard",
    "convoca.imports",
    "convoca.embeds",
]

MIDDLEWARE = [
    "convoca.core.caching.CacheControlMiddleware",  # outermost: it sees every answer as sent
    "convoca.core.middleware.ForwardedProtoMiddleware",  # before SecurityMiddleware's https redirect
    "django.middleware.security.SecurityMiddleware",
    # early, so that they also mark responses that later middleware replaces (language redirects, 413)
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "convoca.core.middleware.BodySizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "convoca.core.middleware.DatabaseDownMiddleware",
]

ROOT_URLCONF = "convoca.urls"
WSGI_APPLICATION = "convoca.wsgi.application"

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
                "convoca.core.context_processors.convoca",
                "convoca.gate.forms.context",
            ],
        },
    },
]

DATABASES = {"default": dict(CONVOCA.database)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "convoca.core.sqlite"  # writers queue on a lock file: core/sqlite/base.py
    # WAL for concurrent readers, IMMEDIATE so writers queue on the busy timeout instead of failing
    # on lock upgrade, FULL sync so an acknowledged sign-up survives a crash, secure_delete so erased
    # personal data does not linger in free pages.
    DATABASES["default"]["CONN_MAX_AGE"] = None  # a local file: keep the connection (and its pragmas) per process
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    # A bounded pool per process (psycopg_pool): connections are reused, never more than
    # CONVOCA_DB_POOL_SIZE per app process; a request waits at most 5 s for one, then gets a 503.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "pool": {"min_size": 1, "max_size": CONVOCA.db_pool_size, "timeout": 5},
    }

# The cache (short-lived public figures) and, through it, the gate's rate counters: Redis when
# REDIS_URL is set, shared by every app server; otherwise each process's memory, and the rate
# counters live in the database (gate/lanes.py).
if CONVOCA.redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CONVOCA.redis_url}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = DJANGO_LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = CONVOCA.data_dir / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production links content-hashed names (`convoca collectstatic`) that nginx serves as immutable;
# the demo serves the plain files with `runserver --insecure`.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if CONVOCA.demo
        else "convoca.core.staticfiles.HashedStaticFilesStorage"
    },
}

# Mail goes through the outbox table; the worker sends it with this backend.
if CONVOCA.email is not None:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = CONVOCA.email.host
    EMAIL_PORT = CONVOCA.email.port
    EMAIL_HOST_USER = CONVOCA.email.user
    EMAIL_HOST_PASSWORD = CONVOCA.email.password
    EMAIL_USE_TLS = CONVOCA.email.use_tls
    EMAIL_USE_SSL = CONVOCA.email.use_ssl
    EMAIL_TIMEOUT = 30
else:
    # Demo without EMAIL_URL: nothing leaves the machine; the demo outbox page shows the mail.
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
MAIL_DOMAIN = _config.urlsplit(CONVOCA.base_url).hostname
DEFAULT_FROM_EMAIL = f"Convoca <noreply@{MAIL_DOMAIN}>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Anonymous visitors get no cookie: sessions exist only for staff who log in.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not CONVOCA.demo and CONVOCA.base_url.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = [CONVOCA.base_url]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not CONVOCA.demo and CONVOCA.base_url.startswith("https://"):
    # TLS ends at nginx, which sets X-Forwarded-Proto (deploy/nginx/convoca-proxy.conf); the header
    # is believed only from CONVOCA_TRUSTED_PROXIES (ForwardedProtoMiddleware drops it otherwise).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 63_072_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy: no inline script or style anywhere; map tiles from the configured host only.
_tiles = _config.urlsplit(CONVOCA.map_tiles)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", f"{_tiles.scheme}://{_tiles.hostname}"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # runserver's request log lines carry no client address, but keep them quiet in the demo.
        "django.server": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# --- Staff accounts (convoca.core.staff): outside demo mode the admin and every staff page need a
# TOTP code besides the password (django-otp); passwords are hashed with Argon2, and older PBKDF2
# hashes still verify and are rehashed with Argon2 at the next login.
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = "convoca.core.apps.StaffAdminConfig"
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
OTP_TOTP_ISSUER = "Convoca"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's key again after it is added
