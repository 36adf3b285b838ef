"""Production: refuses to start without a secret key and allowed hosts; secure cookies and HSTS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
CERTIFICATE_SECRET = CERTIFICATE_SECRET or SECRET_KEY  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Object storage (django-storages S3, any S3-compatible service via AWS_S3_ENDPOINT_URL), each
# switched on by its bucket variable; credentials come from the usual AWS_* variables or the
# instance role. Public media (published listing photos) may sit in a public bucket; private
# files go to a bucket without public access, reached only through signed URLs that a
# permission-checked view hands out (PRIVATE_FILES_SERVE=redirect). Without a private bucket
# the private directory stays on disk: serve it with PRIVATE_FILES_SERVE=x-accel behind an
# nginx `location /_private/ { internal; alias <PRIVATE_MEDIA_ROOT>/; }`.
_S3_COMMON = {
    "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
    "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
    "file_overwrite": False,
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_COMMON,
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "querystring_auth": False,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        },
    }
if os.environ.get("PRIVATE_STORAGE_BUCKET_NAME"):
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_COMMON,
            "bucket_name": os.environ["PRIVATE_STORAGE_BUCKET_NAME"],
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "custom_domain": None,
        },
    }
    PRIVATE_FILES_SERVE = os.environ.get("PRIVATE_FILES_SERVE", "redirect")
if PRIVATE_FILES_SERVE not in {"django", "x-accel", "redirect"}:
    raise ImproperlyConfigured("PRIVATE_FILES_SERVE must be django, x-accel or redirect.")
if PRIVATE_FILES_SERVE == "redirect" and not os.environ.get("PRIVATE_STORAGE_BUCKET_NAME"):
    raise ImproperlyConfigured("PRIVATE_FILES_SERVE=redirect needs PRIVATE_STORAGE_BUCKET_NAME.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
