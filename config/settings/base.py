"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is a convenience for developers; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = "local"
SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = [h for h in env.list("ALLOWED_HOSTS", default=[]) if h]
CSRF_TRUSTED_ORIGINS: list[str] = [o for o in env.list("CSRF_TRUSTED_ORIGINS", default=[]) if o]

# The address people use to reach the portal; emails sent by background jobs
# (which have no request to read it from) build their links from it.
PORTAL_BASE_URL = (
    env.str("PORTAL_BASE_URL", default="") or f"http://127.0.0.1:{env.int('PORT', default=8000)}"
).rstrip("/")
# Lazy, so every page, email and report names the service in its reader's language.
SERVICE_NAME = gettext_lazy("Council Digital Maturity Portal")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    # The read-only API (api/): django-ninja, whose interactive docs' files it serves itself.
    "ninja",
    # Two-factor sign-in: authenticator apps (TOTP) and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "councils",
    "notifications",
    "assessments",
    "plans",
    "benchmarks",
    "reports",
    "api",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so its precompressed /static/ replies skip it; random gzip header vs BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the switch's cookie, else the browser's; the account's choice overrides
    # it once the person is known (accounts.middleware.AccountLanguageMiddleware).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.AccountLanguageMiddleware",
    # request.user.is_verified(): whether this session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    # Before the sign-in check, so a session idle too long is signed out and sent to sign in.
    "accounts.middleware.IdleSessionMiddleware",
    # Deny by default: every view needs a signed-in user unless it is marked
    # @login_not_required (sign-in, password reset, public pages, /healthz).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the sign-in check: someone signed out is sent to sign in whatever the method;
    # then a method the view does not take is a 405 (core.http).
    "core.middleware.HttpMethodsMiddleware",
    # Needs request.user; sees who is signed in before the view and after it.
    "core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # Last, so its 400 goes out through every middleware above (headers, no-store); it still
    # answers before any view runs or LoginRequiredMiddleware redirects to the sign-in page.
    "core.middleware.RejectNulMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.service",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# An empty variable counts as unset, so a copied .env.example works as it is.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Celery. With REDIS_URL the portal queues work for separate worker processes;
# without it (the embedded default for `make run`) tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # With acks_late, a job whose worker died unacknowledged goes back on the queue after
    # this many seconds. Longer than any job runs, or a slow job would be run twice at once.
    _VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _VISIBILITY_TIMEOUT,
        # Look for such jobs every few seconds, not kombu's default of about 100.
        "unacked_restore_interval": max(1, min(10, _VISIBILITY_TIMEOUT // 10)),
        "unacked_restore_throttle": 1,
    }
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# HTML fragments each process draws again and again (a question of the barrier page with the
# answers it shows: assessments.forms.QuestionFieldset), and values that never change under
# their key (what a sign-off fixes, under its time: benchmarks.dashboard). In the process's own
# memory (core.fragments.kept): keyed by everything they depend on, and gone with the code that
# made them when the process restarts.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
# When peer figures are released (benchmarks.releases): crontab hours, daily at 03:00 by default.
BENCHMARK_RELEASE_HOURS = env("BENCHMARK_RELEASE_HOURS", default="3")
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "accounts-purge-expired-invitations": {
        "task": "accounts.tasks.purge_expired_invitations",
        # crontab.guru "15 * * * *": at minute 15 past every hour.
        "schedule": crontab(minute="15"),
    },
    "accounts-purge-sign-in-counters": {
        "task": "accounts.tasks.purge_sign_in_counters",
        # crontab.guru "*/30 * * * *": every 30 minutes.
        "schedule": crontab(minute="*/30"),
    },
    "accounts-purge-security-events": {
        "task": "accounts.tasks.purge_security_events",
        # crontab.guru "20 4 * * *": at 04:20 every day.
        "schedule": crontab(hour="4", minute="20"),
    },
    "portal-retire-inactive-accounts": {
        "task": "portal.tasks.retire_inactive_accounts",
        # crontab.guru "40 4 * * *": at 04:40 every day.
        "schedule": crontab(hour="4", minute="40"),
    },
    "reports-expire": {
        "task": "reports.tasks.expire_reports",
        # crontab.guru "45 * * * *": at minute 45 past every hour.
        "schedule": crontab(minute="45"),
    },
    "benchmarks-reconcile": {
        "task": "benchmarks.tasks.reconcile_benchmarks",
        # crontab.guru "30 2 * * *": at 02:30 every day (London time, which exists and
        # happens once on both clock-change nights).
        "schedule": crontab(hour="2", minute="30"),
    },
    "assessments-round-dates": {
        "task": "assessments.tasks.apply_round_dates",
        # crontab.guru "5 0 * * *": at 00:05 every day, London time: rounds open on their
        # opening date and close the day after their closing date.
        "schedule": crontab(hour="0", minute="5"),
    },
    "assessments-reminders": {
        "task": "assessments.tasks.send_reminders",
        # crontab.guru "0 9 * * *": at 09:00 every day, London time, in working hours.
        "schedule": crontab(hour="9", minute="0"),
    },
    "plans-action-reminders": {
        "task": "plans.tasks.send_action_reminders",
        # crontab.guru "10 9 * * *": at 09:10 every day, London time, after the round reminders.
        "schedule": crontab(hour="9", minute="10"),
    },
    "notifications-drain-outbox": {
        "task": "notifications.tasks.drain_outbox",
        # crontab.guru "* * * * *": every minute, for any email whose job the broker lost.
        "schedule": crontab(),
    },
    "benchmarks-releases": {
        "task": "benchmarks.tasks.make_releases",
        # Daily by default, after the reconcile has caught up: BENCHMARK_RELEASE_HOURS, hours
        # of the day as crontab takes them ("3", or "3,15" for twice a day).
        "schedule": crontab(hour=BENCHMARK_RELEASE_HOURS, minute="0"),
    },
}
# Benchmark recomputes go to their own queue, so a long rebuild never holds up an email;
# workers consume both (`celery worker -Q celery,benchmarks`). The router reads the queue name
# when each task is sent, so a test can point benchmark jobs at its own private queue.
BENCHMARKS_QUEUE = "benchmarks"
# Reports (PDF, XLSX, CSV) take seconds each and drive a browser for charts: their own queue.
REPORTS_QUEUE = "reports"


def _route_task(name: str, *args: object, **kwargs: object) -> dict[str, str] | None:
    from django.conf import settings

    if name.startswith("benchmarks.tasks."):
        return {"queue": settings.BENCHMARKS_QUEUE}
    if name == "reports.tasks.generate_report":
        return {"queue": settings.REPORTS_QUEUE}
    return None


CELERY_TASK_ROUTES = (_route_task,)

# Generated reports are kept in the database (so every web and worker machine sees them) and
# deleted this many days after they were made.
REPORT_EXPIRY_DAYS = env.int("REPORT_EXPIRY_DAYS", default=7)
# A report still queued or running after this many minutes is shown as failed, with a retry.
REPORT_TIMEOUT_MINUTES = env.int("REPORT_TIMEOUT_MINUTES", default=15)
# The Chromium that draws report charts; empty means BROWSER_PATH, else Debian's.
KALEIDO_BROWSER_PATH = env.str("KALEIDO_BROWSER_PATH", default="")

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, loading with each request's person the kinds of role the navigation shows.
AUTHENTICATION_BACKENDS = ["accounts.backends.PortalBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
# Unaccepted invitations hold someone's email address: deleted this long after they expire.
EXPIRED_INVITATION_RETENTION_DAYS = env.int("EXPIRED_INVITATION_RETENTION_DAYS", default=30)
# Peer statistics from fewer councils than this are never shown.
BENCHMARK_MIN_GROUP = env.int("BENCHMARK_MIN_GROUP", default=5)
SESSION_COOKIE_AGE = 60 * 60 * 8
# A session with no request for this many minutes is signed out; pages warn a couple of
# minutes before (GOV.UK's timeout warning), with a button to stay signed in.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
SESSION_IDLE_WARNING_SECONDS = env.int("SESSION_IDLE_WARNING_SECONDS", default=120)

# The API (api/): requests each personal token may make (django-ninja's rate format, "120/m"
# is 120 a minute; counted in the cache, so in Redis across every web process), and how long a
# new token may last, in days.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/m")
API_TOKEN_DAYS = (30, 90, 365)

# Accounts nobody has signed in to for this many days are erased (portal.retention), after an
# email warning this many days before. Staff accounts are kept.
INACTIVE_ACCOUNT_DAYS = env.int("INACTIVE_ACCOUNT_DAYS", default=730)
INACTIVE_WARNING_DAYS = env.int("INACTIVE_WARNING_DAYS", default=30)

# Sign-in history (accounts.SecurityEvent) is deleted after this many days (privacy notice).
SECURITY_EVENT_RETENTION_DAYS = env.int("SECURITY_EVENT_RETENTION_DAYS", default=365)

# Two-factor sign-in (accounts.two_factor). Chief executives, assessment leads and staff need an
# authenticator app, or a sign-in through their council's identity provider, before they can
# sign off, agree answers, publish or change sharing. `make run` relaxes it for the demo data.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
# One name in every authenticator app, whatever language the account was set up in.
OTP_TOTP_ISSUER = "Council Digital Maturity Portal"
# Wrong codes make each device wait longer before the next try (1, 2, 4, ... seconds).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
RECOVERY_CODE_COUNT = 10
# How long someone has, after their password, to enter their code.
TWO_FACTOR_PENDING_MINUTES = 5

# Single sign-on with a council's OpenID Connect provider (accounts.sso): how long to wait for
# the provider, and the clock difference allowed when checking its tokens.
SSO_TIMEOUT_SECONDS = env.int("SSO_TIMEOUT_SECONDS", default=10)
SSO_CLOCK_LEEWAY_SECONDS = 60
# Encrypts client secrets at rest (core.encryption); derived from SECRET_KEY when empty.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
FIELD_ENCRYPTION_KEY_FALLBACKS: list[str] = [
    k for k in env.list("FIELD_ENCRYPTION_KEY_FALLBACKS", default=[]) if k
]
# Django's database sessions, refusing a cookie that holds no key Django could have made.
SESSION_ENGINE = "core.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed sign-ins (accounts.throttle): at most this many in each window of SIGN_IN_LOCK_MINUTES
# for one account from one client, for one client across accounts, and for one account from
# anywhere. Locks end with their window.
SIGN_IN_LOCK_MINUTES = env.int("SIGN_IN_LOCK_MINUTES", default=15)
SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
SIGN_IN_CLIENT_FAILURE_LIMIT = env.int("SIGN_IN_CLIENT_FAILURE_LIMIT", default=20)
SIGN_IN_ACCOUNT_FAILURE_LIMIT = env.int("SIGN_IN_ACCOUNT_FAILURE_LIMIT", default=50)
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (core.client). Locally
# there are none; production defaults to one when it is behind a TLS proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

EMAIL_URL = env.str("EMAIL_URL", default="") or "consolemail://"
globals().update(env.email_url_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Council Digital Maturity Portal <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox (notifications): how long a worker may take to send one email before another may
# (a killed worker's claim runs out), how often a failing email is tried before it is marked
# failed, and how old an unsent email must be before the every-minute drain sends it again.
EMAIL_CLAIM_SECONDS = env.int("EMAIL_CLAIM_SECONDS", default=300)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)
EMAIL_DRAIN_AFTER = env.int("EMAIL_DRAIN_AFTER", default=60)

LANGUAGE_CODE = "en-gb"
# English and Welsh (issue 19): the Welsh Language Standards ask that Welsh is treated no less
# favourably than English. Each name is written in its own language, as the switch shows it.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switch's choice for someone not signed in (a signed-in person's is on their account).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Report charts: kaleido and its browser driver narrate every render at INFO.
        "kaleido": {"level": "WARNING"},
        "choreographer": {"level": "WARNING"},
        "logistro": {"level": "WARNING"},
        # WeasyPrint reports every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
