"""REST routes of the recycling app, mounted under /api/recycling/."""

urlpatterns: list = []
