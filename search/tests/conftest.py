"""The search suite's fixtures (defined with the shared catalogue in search_data.py)."""

from search.tests.search_data import backend, catalogue, indexed  # noqa: F401
