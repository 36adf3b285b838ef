"""The standard page body becomes a stream of rich text and live rules tables.

Existing bodies (rich text HTML, in the page and in its revisions) become one text block
before the column changes type; going back keeps the text blocks' HTML.
"""

import json
import uuid

import wagtail.fields
from django.db import migrations


def _to_stream(html: str) -> str:
    if not html:
        return "[]"
    try:
        json.loads(html)
    except ValueError:
        return json.dumps([{"type": "text", "value": html, "id": str(uuid.uuid4())}])
    return html  # already a stream


def _to_html(stream: str) -> str:
    try:
        blocks = json.loads(stream or "[]")
    except ValueError:
        return stream
    return "".join(block["value"] for block in blocks if block.get("type") == "text")


def _pages(apps):
    return apps.get_model("cms.StandardPage").objects


def _revisions(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Revision = apps.get_model("wagtailcore.Revision")
    content_type = ContentType.objects.filter(app_label="cms", model="standardpage").first()
    return Revision.objects.filter(content_type=content_type) if content_type else []


def _convert_revisions(apps, convert) -> None:
    for revision in _revisions(apps):
        content = revision.content or {}
        if isinstance(content.get("body"), str):
            content["body"] = convert(content["body"])
            type(revision).objects.filter(pk=revision.pk).update(content=content)


def forwards(apps, schema_editor):
    """Text column: HTML becomes a stream's JSON text (then the column becomes JSON)."""
    for page in _pages(apps).all():
        _pages(apps).filter(pk=page.pk).update(body=_to_stream(page.body))
    _convert_revisions(apps, _to_stream)


def backwards_in_json(apps, schema_editor):
    """JSON column: the stream becomes one JSON string holding the text blocks' HTML."""
    cast = "::jsonb" if schema_editor.connection.vendor == "postgresql" else ""
    for page in _pages(apps).all():
        body = page.body
        blocks = list(body.raw_data) if hasattr(body, "raw_data") else json.loads(body or "[]")
        html = "".join(block["value"] for block in blocks if block.get("type") == "text")
        schema_editor.execute(
            f"UPDATE cms_standardpage SET body = %s{cast} WHERE page_ptr_id = %s",
            [json.dumps(html), page.pk],
        )


def backwards_in_text(apps, schema_editor):
    """Text column again: unwrap the JSON string into plain HTML."""
    for page in _pages(apps).all():
        try:
            html = json.loads(page.body)
        except (TypeError, ValueError):
            continue
        if isinstance(html, str):
            _pages(apps).filter(pk=page.pk).update(body=html)
    _convert_revisions(apps, _to_html)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards_in_text),
        migrations.AlterField(
            model_name="standardpage",
            name="body",
            field=wagtail.fields.StreamField(
                [("text", 0), ("rules", 2)],
                blank=True,
                block_lookup={
                    0: ("wagtail.blocks.RichTextBlock", (), {"label": "正文"}),
                    1: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("fees", "买家佣金"),
                                ("auction", "限时拍卖"),
                                ("payment", "付款与违约"),
                                ("listing", "挂牌规则"),
                                ("leasing", "融资租赁"),
                                ("grades", "成色等级"),
                            ],
                            "label": "规则",
                        },
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("section", 1)]], {}),
                },
                verbose_name="正文",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, backwards_in_json),
    ]
