"""REST routes of the trading app, mounted under /api/."""

urlpatterns: list = []
