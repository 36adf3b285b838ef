"""HTML routes of the trading app."""

app_name = "trading"
urlpatterns: list = []
