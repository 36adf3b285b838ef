"""The search page and saved searches."""

from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("saved/", views.saved_search_list, name="saved_list"),
    path("saved/add/", views.saved_search_add, name="saved_add"),
    path("saved/<int:pk>/delete/", views.saved_search_remove, name="saved_delete"),
]
