"""Browser fixtures live in tests/browser.py, loaded for the whole suite by the root
conftest; `login` stays importable from here for existing tests."""

from tests.browser import login

__all__ = ["login"]
