"""Fixtures shared by every app's tests: one organization and user per role."""

import pytest

from accounts.models import KycStatus, OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of

# Browser fixtures (one Playwright and one Chromium per session) for every app's tests.
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The private storage reads PRIVATE_MEDIA_ROOT again after the override (core/storage.py).
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language and leaves it so: a test (or a
    request the test client made) that activates English must not change the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def _wagtail_home_page(request):
    """Transactional tests flush every table, including the home page and site that a data
    migration created; put them back for any test that touches the database."""
    if request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("_django_db_helper")
        from core.tests.pages import ensure_home_page

        ensure_home_page()


@pytest.fixture(autouse=True)
def _immutability_triggers_on_sqlite(request):
    """SQLite only. After a transactional test Django flushes with DELETE, which the
    immutability triggers refuse for issued documents (PostgreSQL truncates, which row
    triggers do not see); they are dropped for the flush and put back before every test that
    touches the database."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker or DB_FIXTURES & set(request.fixturenames)):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    from tests.immutability import set_sqlite_triggers

    set_sqlite_triggers(installed=True)
    yield
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if transactional:
        set_sqlite_triggers(installed=False)


@pytest.fixture
def dealer_org(db):
    return OrganizationFactory(name="长沙测试经销商", kind=OrganizationKind.DEALER)


@pytest.fixture
def dealer(dealer_org):
    return member_of(dealer_org, Role.OWNER, username="dealer")


@pytest.fixture
def other_dealer_org(db):
    return OrganizationFactory(name="株洲其他经销商", kind=OrganizationKind.DEALER, city="株洲市")


@pytest.fixture
def other_dealer(other_dealer_org):
    return member_of(other_dealer_org, Role.OWNER, username="otherdealer")


@pytest.fixture
def buyer_org(db):
    return OrganizationFactory(name="湘潭测试买家", kind=OrganizationKind.BUYER, city="湘潭市")


@pytest.fixture
def buyer(buyer_org):
    return member_of(buyer_org, Role.BUYER, username="buyer")


@pytest.fixture
def unverified_buyer(db):
    org = OrganizationFactory(kind=OrganizationKind.BUYER, kyc_status=KycStatus.UNVERIFIED)
    return member_of(org, Role.BUYER, username="newbuyer")


@pytest.fixture
def lessor_org(db):
    return OrganizationFactory(name="湘江融资租赁", kind=OrganizationKind.LESSOR)


@pytest.fixture
def lessor(lessor_org):
    return member_of(lessor_org, Role.FINANCE, username="lessor")


@pytest.fixture
def certifier_org(db):
    return OrganizationFactory(name="长沙工程机械检测中心", kind=OrganizationKind.CERTIFIER)


@pytest.fixture
def inspector(certifier_org):
    return member_of(certifier_org, Role.INSPECTOR, username="inspector")


@pytest.fixture
def staff(db):
    platform = OrganizationFactory(name="Ironloop 平台", kind=OrganizationKind.PLATFORM)
    return member_of(platform, Role.ADMIN, username="staff", is_staff=True)
