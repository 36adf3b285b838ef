"""The view that serves inspection photos (see certification.photos for who may see them)."""

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from certification import selectors
from core.private_files import private_file_response


def photo(request: HttpRequest, name: str) -> HttpResponseBase:
    """A stored inspection photo, or 404 for anyone not allowed to see it (or no such file)."""
    field_file = selectors.photo_file_for_user(name=name, user=request.user)
    if field_file is None:
        raise Http404
    return private_file_response(field_file, download_name=name.rsplit("/", 1)[-1])
