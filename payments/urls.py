"""HTML routes of the payments app."""

app_name = "payments"
urlpatterns: list = []
