"""StreamField blocks of the editorial pages: rich text, and a rules table that renders the
live figures of one rules section (see cms/rules.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.rules import SECTIONS, section_context


class RulesBlock(blocks.StructBlock):
    section = blocks.ChoiceBlock(choices=SECTIONS, label=_("规则"))

    class Meta:
        template = "cms/rules/block.html"
        icon = "table"
        label = _("规则表（实时数据）")

    def get_context(self, value: object, parent_context: dict | None = None) -> dict:
        context = super().get_context(value, parent_context=parent_context)
        context.update(section_context(value["section"]))
        return context


class ContentBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("正文"))
    rules = RulesBlock()
