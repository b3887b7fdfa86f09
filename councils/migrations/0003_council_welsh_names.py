"""The Welsh councils' names in Welsh beside the register's English names (issue 19).

The English names are renamed in Python (name -> name_en, short_name -> short_name_en) but keep
their database columns, so no data moves. The Welsh columns are added blank, then filled for
the councils already imported from councils/data/welsh_names.csv as it was when this was
written; later corrections come in through `manage.py import_councils`.
"""

import csv
from pathlib import Path

from django.db import migrations, models

WELSH_NAMES = Path(__file__).resolve().parent.parent / "data" / "welsh_names.csv"


def fill_welsh_names(apps, schema_editor):
    Council = apps.get_model("councils", "Council")
    with WELSH_NAMES.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            Council.objects.filter(gss_code=row["gss_code"], short_name_cy="").update(
                name_cy=row["name_cy"], short_name_cy=row["short_name_cy"]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_network_sharing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("council", "name", "name_en"),
                migrations.AlterField(
                    "council",
                    "name_en",
                    models.CharField("name", max_length=120, db_column="name"),
                ),
                migrations.RenameField("council", "short_name", "short_name_en"),
                migrations.AlterField(
                    "council",
                    "short_name_en",
                    models.CharField(
                        "short name", max_length=80, unique=True, db_column="short_name"
                    ),
                ),
            ]
        ),
        migrations.AddField(
            model_name="council",
            name="name_cy",
            field=models.CharField("name in Welsh", max_length=120, blank=True),
        ),
        migrations.AddField(
            model_name="council",
            name="short_name_cy",
            field=models.CharField("short name in Welsh", max_length=80, blank=True),
        ),
        migrations.AddConstraint(
            model_name="council",
            constraint=models.UniqueConstraint(
                condition=~models.Q(short_name_cy=""),
                fields=("short_name_cy",),
                name="council_short_name_cy_unique",
            ),
        ),
        migrations.AlterModelOptions(name="council", options={"ordering": ["short_name_en"]}),
        migrations.AlterModelOptions(
            name="networksharing",
            options={"ordering": ["council__short_name_en", "network__name"]},
        ),
        migrations.RunPython(fill_welsh_names, migrations.RunPython.noop),
    ]
