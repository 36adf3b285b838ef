"""REST routes of the procurement app, mounted under /api/procurement/."""

from django.urls import path

from procurement import api

urlpatterns = [
    path("rules/", api.rules, name="procurement-rules"),
    path("rfqs/", api.rfq_list, name="procurement-rfqs"),
    path("rfqs/<int:pk>/", api.rfq_detail, name="procurement-rfq"),
    path("rfqs/<int:pk>/publish/", api.rfq_publish, name="procurement-rfq-publish"),
    path("rfqs/<int:pk>/amend/", api.rfq_amend, name="procurement-rfq-amend"),
    path("rfqs/<int:pk>/open/", api.rfq_open, name="procurement-rfq-open"),
    path("rfqs/<int:pk>/evaluate/", api.rfq_evaluate, name="procurement-rfq-evaluate"),
    path("rfqs/<int:pk>/award/", api.rfq_award, name="procurement-rfq-award"),
    path("rfqs/<int:pk>/cancel/", api.rfq_cancel, name="procurement-rfq-cancel"),
    path("rfqs/<int:pk>/reissue/", api.rfq_reissue, name="procurement-rfq-reissue"),
    path("rfqs/<int:pk>/quotes/", api.rfq_quotes, name="procurement-rfq-quotes"),
    path("rfqs/<int:pk>/comparison/", api.rfq_comparison, name="procurement-rfq-comparison"),
    path("rfqs/<int:pk>/questions/", api.rfq_questions, name="procurement-rfq-questions"),
    path("questions/<int:pk>/answer/", api.question_answer, name="procurement-question-answer"),
]
