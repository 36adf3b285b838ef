"""The search page (built on the search module's query object)."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "search"
urlpatterns = [
    path(
        "",
        RedirectView.as_view(pattern_name="marketplace:listing_list", query_string=True),
        name="search",
    ),
]
