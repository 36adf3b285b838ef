from django.urls import path

from marketplace import views

app_name = "marketplace"
urlpatterns = [
    path("listings/", views.listing_list, name="listing_list"),
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("dealer/listings/", views.dealer_listings, name="dealer_listings"),
]
