"""Local development: the embedded defaults (SQLite, database search, console e-mail)."""

from .base import *  # noqa: F403
from .base import env_bool

# DEBUG only on request (DJANGO_DEBUG=1): the demo serves like production.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"  # noqa: F405
CERTIFICATE_SECRET = CERTIFICATE_SECRET or SECRET_KEY  # noqa: F405
