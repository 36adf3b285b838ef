"""Private storage and files that follow the transaction that stored them."""

import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from core.storage import RandomName, delete_on_rollback, private_storage


class Boom(Exception):
    pass


def _save(storage, content: bytes = b"x") -> str:
    name = storage.save("test/a.pdf", ContentFile(content))
    delete_on_rollback(storage, name)
    return name


def test_private_storage_lives_outside_media_root_and_has_no_url(tmp_path):
    storage = private_storage()
    name = storage.save("t/a.pdf", ContentFile(b"%PDF-"))
    assert storage.path(name) == str(tmp_path / "private_media" / name)
    assert not str(storage.path(name)).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="no public URL"):
        storage.url(name)


def test_random_name_keeps_only_a_short_alphanumeric_extension():
    upload_to = RandomName("leasing/documents")
    assert re.fullmatch(
        r"leasing/documents/\d{4}/\d{2}/[A-Za-z0-9_-]{24}\.pdf", upload_to(None, "x.PDF")
    )
    assert upload_to(None, "evil.ht ml").endswith(".bin")
    assert upload_to(None, "noextension").endswith(".bin")


@pytest.mark.django_db
@pytest.mark.parametrize("storage", [private_storage, lambda: default_storage])
def test_atomic_block_that_raises_leaves_no_file(storage):
    storage = storage()
    with pytest.raises(Boom), transaction.atomic():
        name = _save(storage)
        assert storage.exists(name)
        raise Boom
    assert not storage.exists(name)


@pytest.mark.django_db
def test_file_of_an_inner_block_goes_when_the_outer_block_rolls_back():
    storage = private_storage()
    with pytest.raises(Boom), transaction.atomic():
        with transaction.atomic():
            name = _save(storage)
        assert storage.exists(name)
        raise Boom
    assert not storage.exists(name)


@pytest.mark.django_db
def test_rolled_back_savepoint_takes_only_its_own_file(django_capture_on_commit_callbacks):
    storage = private_storage()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kept = _save(storage, b"kept")
        with pytest.raises(Boom), transaction.atomic():
            dropped = _save(storage, b"dropped")
            raise Boom
        assert not storage.exists(dropped)
    assert storage.exists(kept)
