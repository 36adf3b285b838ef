"""HTML routes of the recycling app."""

app_name = "recycling"
urlpatterns: list = []
