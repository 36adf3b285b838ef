"""REST routes of the leasing app, mounted under /api/."""

urlpatterns: list = []
