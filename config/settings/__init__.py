"""Pick the settings module from DJANGO_ENV: local (the default), production or test."""

import os

from django.core.exceptions import ImproperlyConfigured

_ENV = os.environ.get("DJANGO_ENV", "local")

if _ENV == "production":
    from .production import *  # noqa: F403
elif _ENV == "test":
    from .test import *  # noqa: F403
elif _ENV == "local":
    from .local import *  # noqa: F403
else:
    raise ImproperlyConfigured(f"DJANGO_ENV must be local, production or test, not {_ENV!r}.")
