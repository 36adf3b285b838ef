"""Test settings: fast hashing, in-memory mail, tasks run immediately unless a test opts out."""

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
CERTIFICATE_SECRET = "test-certificate-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "anon": "10000/min",
        "user": "10000/min",
        "quote": "10000/min",
        "auth_token": "10/min",
    },
}
# django-axes stays on (its lock-out is tested); its attempts live in the test database, so
# every test starts with none. Django's test client logs in without a request, which the
# plain axes backend refuses; this one lets such calls through unchecked.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.AxesBackendForTestClient",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# allauth's own rate limits use the cache, which outlives a test; axes does the lock-out.
ACCOUNT_RATE_LIMITS = False
# Tests on PostgreSQL keep one plain connection per thread (the test transaction lives on it);
# the serving path's pool is exercised by tests/test_postgres_pool.py against gunicorn.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
