from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Listing search: the query object's backends, the index, saved searches and alerts.

    Fed by marketplace's ``listings_changed`` signal (one receiver, connected here); other
    apps' facts about a listing (financing, valuation, auction end) come from the enrichers
    named in ``settings.SEARCH_ENRICHERS``.
    """

    name = "search"
    _whole_index_receivers: list = []
    label = "search"
    verbose_name = _("搜索")

    def ready(self) -> None:
        from marketplace.events import listings_changed
        from search.receivers import listings_changed_reindex

        listings_changed.connect(listings_changed_reindex, dispatch_uid="search-reindex")
        self._connect_whole_index_facts()

    def _connect_whole_index_facts(self) -> None:
        """``settings.SEARCH_REINDEX_ON_SAVE``: model label -> field (or None). Saving such a
        row (with the field true) rebuilds the index: the entries' best-value ratio comes from
        the serving valuation model, so activating another model changes every ratio."""
        from functools import partial

        from django.apps import apps
        from django.conf import settings
        from django.db.models.signals import post_save

        from search.receivers import whole_index_fact_saved

        for label, field in getattr(settings, "SEARCH_REINDEX_ON_SAVE", {}).items():
            app_label = label.partition(".")[0]
            if app_label not in apps.app_configs:
                continue
            receiver = partial(whole_index_fact_saved, field=field)
            self._whole_index_receivers.append(receiver)  # signals hold receivers weakly
            post_save.connect(
                receiver, sender=apps.get_model(label), dispatch_uid=f"search-rebuild-{label}"
            )
