"""Where uploaded files live: public media (published listing photos) and private files.

Private files (KYC licences, lease documents, draft inspection photos, anything not meant for
the public) go to the ``"private"`` storage alias in ``settings.STORAGES``: a directory outside
``MEDIA_ROOT`` in the embedded default, a private object-storage bucket in production. They
have no public URL; a view that checks the same permission as the page listing them serves
them. Stored names are random and chosen by the server, never the uploader's file name.
"""

import secrets

from django.core.files.storage import Storage, storages
from django.utils import timezone
from django.utils.deconstruct import deconstructible


def private_storage() -> Storage:
    """The private storage, resolved at call time so tests and settings can swap it."""
    return storages["private"]


@deconstructible
class RandomName:
    """``upload_to`` that keeps only a server-chosen extension: ``<prefix>/YYYY/MM/<random>.<ext>``.

    The extension comes from the file name the validated (server-built) content carries;
    callers pass content whose name the server chose from the detected type.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        if not extension.isalnum() or len(extension) > 5:
            extension = "bin"
        today = timezone.localdate()
        return f"{self.prefix}/{today:%Y/%m}/{secrets.token_urlsafe(18)}.{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.prefix == self.prefix
