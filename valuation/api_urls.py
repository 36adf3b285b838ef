"""REST routes of the valuation app, mounted under /api/."""

urlpatterns: list = []
