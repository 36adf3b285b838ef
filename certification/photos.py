"""Inspection photos are private files: stored in the private storage, linked to a view.

A photo's ``.url`` is the permission-checked route ``certification:photo`` (not a storage
address), so templates keep writing ``{{ photo.image.url }}`` and the PDF keeps embedding the
bytes it reads from the storage.

Who may open a photo (``photo_visible_to``): while its report is a draft, the same people as
the report's pages (the certifier's members and platform staff). Once the report is submitted
it is verifiable by anyone holding its number and code, photos included, so the photo is
served to whoever has its address; the addresses of new photos are random and unguessable.
"""

from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.urls import reverse


class InspectionPhotoFile(ImageFieldFile):
    @property
    def url(self) -> str:
        self._require_file()
        return reverse("certification:photo", kwargs={"name": self.name})


class InspectionPhotoField(models.ImageField):
    """An ImageField whose files have the permission-checked view as their URL."""

    attr_class = InspectionPhotoFile
