"""REST routes of the marketplace, mounted under /api/."""

urlpatterns: list = []
