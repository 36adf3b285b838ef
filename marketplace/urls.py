from django.urls import path

from marketplace import views

app_name = "marketplace"
urlpatterns = [
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("dealer/listings/", views.dealer_listings, name="dealer_listings"),
    path("dealer/listings/new/", views.listing_create, name="listing_create"),
    path("dealer/listings/<int:pk>/", views.listing_manage, name="listing_manage"),
    path("dealer/listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("dealer/listings/<int:pk>/photos/", views.listing_photos, name="listing_photos"),
    path("dealer/listings/<int:pk>/<slug:action>/", views.listing_action, name="listing_action"),
    path("dealer/photos/<int:pk>/delete/", views.listing_photo_delete, name="photo_delete"),
    path("dealer/machines/<int:pk>/hours/", views.machine_hours_add, name="machine_hours_add"),
    path(
        "dealer/hour-readings/<int:pk>/correct/",
        views.hour_reading_correct,
        name="hour_reading_correct",
    ),
]
