# The browser fixtures live in the project's tests/conftest.py; make them available here.
from tests.conftest import browser, new_page, page, playwright_instance  # noqa: F401
