from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Listing search: the query object's backends, the index, saved searches and alerts.

    Fed by marketplace's ``listings_changed`` signal (one receiver, connected here); other
    apps' facts about a listing (financing, valuation, auction end) come from the enrichers
    named in ``settings.SEARCH_ENRICHERS``.
    """

    name = "search"
    label = "search"
    verbose_name = _("搜索")

    def ready(self) -> None:
        from marketplace.events import listings_changed
        from search.receivers import listings_changed_reindex

        listings_changed.connect(listings_changed_reindex, dispatch_uid="search-reindex")
