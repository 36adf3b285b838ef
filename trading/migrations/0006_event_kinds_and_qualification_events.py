"""Event kinds (issue #13): OfferEvent and OrderEvent get a ``kind``, filled for existing rows
from what they recorded (collected and abandoned orders were written as paid → paid rows with
a note); BidderQualification gets its event table. Reversing drops the new columns and table;
the rows' statuses and notes are untouched, so nothing recorded is lost.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


OFFER_KIND_BY_STATUS = {
    "open": "made",
    "countered": "countered",
    "accepted": "accepted",
    "declined": "declined",
    "expired": "expired",
    "withdrawn": "withdrawn",
}


def order_event_kind(from_status: str, to_status: str, note: str) -> str:
    if not from_status:
        return "created"
    if from_status == to_status:
        return "abandoned" if note == "abandoned" else "collected"
    return to_status  # paid, defaulted, cancelled: the kind names the new status


def fill_event_kinds(apps, schema_editor):
    OfferEvent = apps.get_model("trading", "OfferEvent")
    OrderEvent = apps.get_model("trading", "OrderEvent")
    for to_status, kind in OFFER_KIND_BY_STATUS.items():
        OfferEvent.objects.filter(to_status=to_status).update(kind=kind)
    for event in OrderEvent.objects.only("from_status", "to_status", "note").iterator():
        kind = order_event_kind(event.from_status, event.to_status, event.note)
        if kind != "created":
            OrderEvent.objects.filter(pk=event.pk).update(kind=kind)


class Migration(migrations.Migration):

    dependencies = [
        ('trading', '0005_watched_listing'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='offerevent',
            name='kind',
            field=models.CharField(choices=[('made', '出价'), ('countered', '还价'), ('accepted', '接受'), ('declined', '拒绝'), ('expired', '过期'), ('withdrawn', '撤回')], default='made', max_length=12, verbose_name='类型'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='orderevent',
            name='kind',
            field=models.CharField(choices=[('created', '下单'), ('paid', '付款完成'), ('defaulted', '逾期违约'), ('cancelled', '取消'), ('collected', '已提货'), ('abandoned', '视为放弃')], default='created', max_length=12, verbose_name='类型'),
            preserve_default=False,
        ),
        migrations.RunPython(fill_event_kinds, migrations.RunPython.noop),
        migrations.CreateModel(
            name='QualificationEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('requested', '申请'), ('activated', '保证金到位，可出价'), ('released', '保证金退还'), ('applied', '保证金抵扣货款'), ('forfeited', '保证金罚没'), ('cancelled', '取消')], max_length=12, verbose_name='类型')),
                ('from_status', models.CharField(blank=True, choices=[('pending', '待缴保证金'), ('active', '可出价'), ('released', '已退还'), ('applied', '已抵扣货款'), ('forfeited', '已罚没'), ('cancelled', '已取消')], max_length=12)),
                ('to_status', models.CharField(choices=[('pending', '待缴保证金'), ('active', '可出价'), ('released', '已退还'), ('applied', '已抵扣货款'), ('forfeited', '已罚没'), ('cancelled', '已取消')], max_length=12)),
                ('note', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('qualification', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='trading.bidderqualification')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
    ]
