"""Production: secrets and addresses come from the environment; missing ones stop start-up."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env


def _required(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return value


DJANGO_ENV = "production"
DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
_required("DATABASE_URL")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
# In production background jobs must run in worker processes, so a broker is required.
_required("REDIS_URL")
_required("EMAIL_URL")
PORTAL_BASE_URL = _required("PORTAL_BASE_URL").rstrip("/")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Set when a load balancer or proxy in front of gunicorn terminates TLS.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=True)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a proxy every request arrives from the proxy: without this, the sign-in lockout
# would count the whole country as one client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# django-axes is gone; its settings would be ignored without a word, so refuse them.
_RETIRED = {
    "AXES_PROXY_COUNT": "TRUSTED_PROXY_COUNT",
    "AXES_FAILURE_LIMIT": "SIGN_IN_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES": "SIGN_IN_LOCK_MINUTES",
}
for _old, _new in _RETIRED.items():
    if env.str(_old, default=""):
        raise ImproperlyConfigured(f"{_old} is no longer read: set {_new} instead.")
# Relaxing two-factor sign-in is for demo data only, never for a live portal.
if not env.bool("TWO_FACTOR_REQUIRED", default=True):
    raise ImproperlyConfigured("TWO_FACTOR_REQUIRED cannot be turned off in production.")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
