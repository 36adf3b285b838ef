"""Editorial pages only: the home page, the trading guide and rules, and news."""

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import ContentBlock


class HomePage(Page):
    hero_title = models.CharField(_("主标题"), max_length=120, blank=True)
    hero_subtitle = models.CharField(_("副标题"), max_length=250, blank=True)
    body = RichTextField(_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_subtitle"),
        FieldPanel("body"),
    ]
    subpage_types = ["cms.StandardPage", "cms.NewsIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request: HttpRequest, *args: object, **kwargs: object) -> dict:
        from marketplace.selectors import category_roots, listing_featured

        context = super().get_context(request, *args, **kwargs)
        context["featured_listings"] = listing_featured(limit=8)
        context["category_roots"] = category_roots()
        context["news"] = (
            NewsPage.objects.live().filter(locale_id=self.locale_id).order_by("-first_published_at")
        )[:4]
        return context


class StandardPage(Page):
    """Trading guide, valuation rules, certification rules and other editorial text.

    The body is a stream of rich text and rules tables; a rules table renders the figures the
    services apply (cms/rules.py), so the page cannot disagree with the platform.
    """

    intro = models.CharField(_("摘要"), max_length=250, blank=True)
    body = StreamField(ContentBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("内容页")


class NewsIndexPage(Page):
    intro = models.CharField(_("摘要"), max_length=250, blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("新闻列表")

    def get_context(self, request: HttpRequest, *args: object, **kwargs: object) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = NewsPage.objects.live().child_of(self).order_by("-first_published_at")
        return context


class NewsPage(Page):
    date = models.DateField(_("日期"))
    intro = models.CharField(_("摘要"), max_length=250, blank=True)
    body = RichTextField(_("正文"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("新闻")
