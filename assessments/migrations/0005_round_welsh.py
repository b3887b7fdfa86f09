"""A round's name in Welsh beside the English (issue 19), as the framework's words have.

The English name is renamed in Python (name -> name_en) but keeps its database column, so no
data moves; the Welsh column is added blank, for rounds made before there was Welsh.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_framework_welsh"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("assessmentround", "name", "name_en"),
                migrations.AlterField(
                    "assessmentround",
                    "name_en",
                    models.CharField(
                        "name",
                        max_length=60,
                        unique=True,
                        db_column="name",
                        help_text='For example "2026 to 2027".',
                    ),
                ),
            ]
        ),
        migrations.AddField(
            model_name="assessmentround",
            name="name_cy",
            field=models.CharField(
                "name in Welsh",
                max_length=60,
                blank=True,
                help_text='For example "2026 i 2027".',
            ),
        ),
    ]
