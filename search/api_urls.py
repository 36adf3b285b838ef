"""REST routes of search, mounted under /api/search/."""

from django.urls import path

from search.api import ListingSearchAPI, SuggestAPI

urlpatterns = [
    path("listings/", ListingSearchAPI.as_view(), name="search-listings"),
    path("suggest/", SuggestAPI.as_view(), name="search-suggest"),
]
