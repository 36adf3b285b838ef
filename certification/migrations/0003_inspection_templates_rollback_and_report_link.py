"""Inspection templates per machine type, the rolled-back meter explanation, the signing
inspector's name, and the certificate's link to its inspection report.

On SQLite, adding these columns rebuilds the tables, which drops the immutability triggers of
0002; they are removed first and installed again at the end. The certificate trigger's list of
certified columns now includes ``inspection_report_id`` (built here, explicitly, like 0002).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

_0002 = importlib.import_module("certification.migrations.0002_immutability_triggers")
CERTIFIED_CERTIFICATE_COLUMNS = (*_0002.CERTIFIED_CERTIFICATE_COLUMNS, "inspection_report_id")


def _trigger_sql(vendor: str, *, install: bool, columns: tuple[str, ...]) -> list[str]:
    report = {
        "parent": _0002.REPORT_TABLE,
        "children": _0002.REPORT_CHILDREN,
        "fk": "report_id",
        "locked_parent": "OLD.status = 'submitted'",
        "locked_values": ("submitted",),
        "allowed": ("FALSE", "0"),
        "name": "certification_report",
    }
    certificate = {
        "parent": _0002.CERTIFICATE_TABLE,
        "children": _0002.CERTIFICATE_CHILDREN,
        "fk": "certificate_id",
        "locked_parent": "OLD.status IN ('issued', 'revoked')",
        "locked_values": ("issued", "revoked"),
        "allowed": _0002._certificate_update_allowed(columns),
        "name": "certification_certificate",
    }
    statements: list[str] = []
    for spec in (report, certificate):
        common = {"parent": spec["parent"], "children": spec["children"], "name": spec["name"]}
        values = ", ".join(f"'{v}'" for v in spec["locked_values"])
        if vendor == "postgresql" and install:
            statements += _0002.postgres_install(
                **common,
                fk=spec["fk"],
                locked_parent=spec["locked_parent"],
                locked_child=f"parent_status IN ({values})",
                parent_update_allowed=spec["allowed"][0],
            )
        elif vendor == "postgresql":
            statements += _0002.postgres_uninstall(**common)
        elif vendor == "sqlite" and install:
            statements += _0002.sqlite_install(
                **common,
                fk=spec["fk"],
                locked_parent=spec["locked_parent"],
                locked_child_values=spec["locked_values"],
                parent_update_allowed=spec["allowed"][1],
            )
        elif vendor == "sqlite":
            statements += _0002.sqlite_uninstall(**common)
    return statements


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, _trigger_sql(vendor, install=False, columns=()))


def install_new_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, _trigger_sql(vendor, install=True, columns=CERTIFIED_CERTIFICATE_COLUMNS))


def install_old_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    columns = _0002.CERTIFIED_CERTIFICATE_COLUMNS
    _run(schema_editor, _trigger_sql(vendor, install=True, columns=columns))


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0002_immutability_triggers'),
    ]

    operations = [
        migrations.RunPython(drop_triggers, install_old_triggers),
        migrations.AddField(
            model_name='inspectionitem',
            name='defects',
            field=models.JSONField(blank=True, default=list, verbose_name='缺陷项'),
        ),
        migrations.AddField(
            model_name='inspectionphoto',
            name='angle',
            field=models.CharField(blank=True, max_length=30, verbose_name='拍摄角度'),
        ),
        migrations.AddField(
            model_name='inspectionreport',
            name='accident_checks',
            field=models.JSONField(blank=True, default=dict, verbose_name='重大事故排查'),
        ),
        migrations.AddField(
            model_name='inspectionreport',
            name='hour_meter_explanation',
            field=models.TextField(blank=True, verbose_name='小时表读数回退说明'),
        ),
        migrations.AddField(
            model_name='inspectionreport',
            name='inspector_name',
            field=models.CharField(blank=True, max_length=150, verbose_name='检测人员'),
        ),
        migrations.AddField(
            model_name='inspectionreport',
            name='tradeable_checks',
            field=models.JSONField(blank=True, default=dict, verbose_name='可交易性核查'),
        ),
        migrations.AddField(
            model_name='remancertificate',
            name='inspection_report',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reman_certificates', to='certification.inspectionreport', verbose_name='关联检测报告'),
        ),
        migrations.AlterField(
            model_name='inspectionitem',
            name='system',
            field=models.CharField(choices=[('engine', '发动机'), ('hydraulics', '液压系统'), ('undercarriage', '底盘（履带）'), ('tyres', '轮胎'), ('structure', '结构件/动臂'), ('electrical', '电气系统'), ('cab', '驾驶室'), ('attachments', '属具'), ('slewing', '回转机构'), ('powertrain', '传动系统'), ('steering_brakes', '转向与制动'), ('hoist', '起升机构'), ('outriggers', '支腿'), ('safety_devices', '安全装置'), ('vibration', '振动系统')], max_length=20, verbose_name='系统'),
        ),
        migrations.AlterField(
            model_name='inspectionphoto',
            name='system',
            field=models.CharField(blank=True, choices=[('engine', '发动机'), ('hydraulics', '液压系统'), ('undercarriage', '底盘（履带）'), ('tyres', '轮胎'), ('structure', '结构件/动臂'), ('electrical', '电气系统'), ('cab', '驾驶室'), ('attachments', '属具'), ('slewing', '回转机构'), ('powertrain', '传动系统'), ('steering_brakes', '转向与制动'), ('hoist', '起升机构'), ('outriggers', '支腿'), ('safety_devices', '安全装置'), ('vibration', '振动系统')], max_length=20, verbose_name='系统'),
        ),
        migrations.RunPython(install_new_triggers, drop_triggers),
    ]
