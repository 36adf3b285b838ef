from django.urls import path

from marketplace import listing_content_views, views

app_name = "marketplace"
urlpatterns = [
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    # The listing page's buyer sections (issue #14): sheet, price changes, questions.
    path(
        "listings/<int:pk>/sheet.pdf",
        listing_content_views.listing_sheet_pdf,
        name="listing_sheet_pdf",
    ),
    path(
        "listings/<int:pk>/price/",
        listing_content_views.listing_price_change,
        name="listing_price_change",
    ),
    path(
        "listings/<int:pk>/questions/",
        listing_content_views.question_ask,
        name="question_ask",
    ),
    path(
        "questions/<int:pk>/answer/",
        listing_content_views.question_answer,
        name="question_answer",
    ),
    path(
        "questions/<int:pk>/moderate/",
        listing_content_views.question_moderate,
        name="question_moderate",
    ),
    path(
        "staff/questions/",
        listing_content_views.question_moderation,
        name="question_moderation",
    ),
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
