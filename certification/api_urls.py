"""REST routes of the certification app, mounted under /api/."""

urlpatterns: list = []
