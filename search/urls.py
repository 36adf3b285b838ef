"""The browse page (/listings/, with text search, facets and ranges) and saved searches.

Mounted at the site root: /listings/ is the one page listing machines; /search/ redirects to it
(301, parameters kept)."""

from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("listings/", views.search_page, name="search"),
    path("search/", views.search_moved, name="moved"),
    path("search/saved/", views.saved_search_list, name="saved_list"),
    path("search/saved/add/", views.saved_search_add, name="saved_add"),
    path("search/saved/<int:pk>/delete/", views.saved_search_remove, name="saved_delete"),
]
