"""Where uploaded files live: public media (published listing photos) and private files.

Private files (KYC licences, lease documents, inspection photos, anything not meant for the
public) go to the ``"private"`` storage alias in ``settings.STORAGES``: a directory outside
``MEDIA_ROOT`` in the embedded default, a private object-storage bucket in production. They
have no public URL; a view that checks the same permission as the page listing them serves
them (``core.private_files.private_file_response``). Stored names are random and chosen by
the server, never the uploader's file name.

Files written inside a transaction are registered with ``delete_on_rollback`` so that a
refused or failed write leaves nothing behind on disk or in the bucket.
"""

import logging
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)

# Upload directories under MEDIA_ROOT that held private files before the private storage
# existed; the public media route refuses them (a leftover copy must not be reachable).
FORMERLY_PUBLIC_PREFIXES = ("leasing/", "inspections/")


def private_storage() -> Storage:
    """The private storage, resolved at call time so tests and settings can swap it."""
    return storages["private"]


class PrivateFileSystemStorage(FileSystemStorage):
    """A directory that no web server serves: asking for a public URL is a programming error.

    Templates link to the permission-checked view of the record instead. Without a
    ``location`` option the directory is ``settings.PRIVATE_MEDIA_ROOT``, read when first
    needed and again after a settings override, like ``FileSystemStorage`` does for
    ``MEDIA_ROOT`` (model fields keep the storage instance they were built with).
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public URL; link to the view that serves them.")


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

    def __hash__(self) -> int:
        return hash(self.prefix)


class _FileKeeper:
    """Deletes one stored file when it is garbage-collected without having been kept.

    ``delete_on_rollback`` hands it to ``transaction.on_commit``. Django calls it when the
    outermost transaction commits (the file is kept) and drops it, uncalled, when the
    transaction or the savepoint it was registered in rolls back; CPython's reference counting
    collects it at that moment and the file goes with the rows that referred to it.
    """

    def __init__(self, storage: Storage, name: str):
        self.storage = storage
        self.name = name
        self.kept = False

    def __call__(self) -> None:
        self.kept = True

    def __del__(self) -> None:
        if self.kept:
            return
        try:
            self.storage.delete(self.name)
        except Exception:  # a finaliser must not raise; the file is an orphan then
            logger.exception("Could not remove %s after a rollback", self.name)


def delete_on_rollback(storage: Storage, name: str, *, using: str | None = None) -> None:
    """Remove ``name`` from ``storage`` unless the current transaction commits.

    Outside a transaction the file is kept at once (the write it belongs to has happened).
    """
    transaction.on_commit(_FileKeeper(storage, name), using=using)


def save_deleted_on_rollback(field_file, name: str, content) -> None:
    """``field_file.save(name, content, save=False)`` whose file follows the transaction."""
    field_file.save(name, content, save=False)
    delete_on_rollback(field_file.storage, field_file.name)
