"""HTML routes of the leasing app."""

from django.urls import path

from leasing import views

app_name = "leasing"
urlpatterns = [
    path("products/", views.product_list, name="product_list"),
]
