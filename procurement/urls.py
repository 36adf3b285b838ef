"""HTML routes of the procurement app."""

from django.urls import path

from procurement import views

app_name = "procurement"
urlpatterns = [
    path("", views.rfq_list, name="rfq_list"),
    path("new/", views.rfq_create, name="rfq_create"),
    path("<int:pk>/", views.rfq_detail, name="rfq_detail"),
    path("<int:pk>/publicity/", views.rfq_publicity, name="rfq_publicity"),
    path("<int:pk>/comparison.csv", views.comparison_csv, name="comparison_csv"),
    path("<int:pk>/quote/", views.quote_submit, name="quote_submit"),
    path("<int:pk>/questions/", views.question_ask, name="question_ask"),
    path(
        "<int:pk>/questions/<int:question_pk>/answer/",
        views.question_answer,
        name="question_answer",
    ),
    path("<int:pk>/<str:action>/", views.rfq_action, name="rfq_action"),
]
