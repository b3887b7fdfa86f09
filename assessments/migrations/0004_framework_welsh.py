"""The framework's words in Welsh beside the English (issue 19).

Each English text field is renamed in Python (name -> name_en and so on) but keeps its
database column, so the rename is a change of state only and no data moves; the Welsh
columns are added blank, for rows imported before there was Welsh.
"""

from django.db import migrations, models

# (model, field, the field as it now is in Python, keeping its old column)
_ENGLISH = [
    ("framework", "name", models.CharField("name", max_length=120, db_column="name")),
    (
        "framework",
        "description",
        models.TextField("description", blank=True, db_column="description"),
    ),
    ("dimension", "name", models.CharField("name", max_length=120, db_column="name")),
    (
        "dimension",
        "description",
        models.TextField("description", blank=True, db_column="description"),
    ),
    (
        "question",
        "statement",
        models.CharField("statement", max_length=300, db_column="statement"),
    ),
    (
        "question",
        "guidance",
        models.TextField("what good looks like", blank=True, db_column="guidance"),
    ),
    (
        "leveldescriptor",
        "description",
        models.TextField("description", db_column="description"),
    ),
]


def _renamed_in_state_only():
    state_operations = []
    for model_name, old_name, field in _ENGLISH:
        state_operations += [
            migrations.RenameField(model_name, old_name, f"{old_name}_en"),
            migrations.AlterField(model_name, f"{old_name}_en", field),
        ]
    return migrations.SeparateDatabaseAndState(state_operations=state_operations)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_erased_respondents"),
    ]

    operations = [
        _renamed_in_state_only(),
        migrations.AddField(
            model_name="framework",
            name="name_cy",
            field=models.CharField(blank=True, max_length=120, verbose_name="name in Welsh"),
        ),
        migrations.AddField(
            model_name="framework",
            name="description_cy",
            field=models.TextField(blank=True, verbose_name="description in Welsh"),
        ),
        migrations.AddField(
            model_name="framework",
            name="welsh_updated_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="Welsh last changed"
            ),
        ),
        migrations.AddField(
            model_name="dimension",
            name="name_cy",
            field=models.CharField(blank=True, max_length=120, verbose_name="name in Welsh"),
        ),
        migrations.AddField(
            model_name="dimension",
            name="description_cy",
            field=models.TextField(blank=True, verbose_name="description in Welsh"),
        ),
        migrations.AddField(
            model_name="question",
            name="statement_cy",
            field=models.CharField(blank=True, max_length=300, verbose_name="statement in Welsh"),
        ),
        migrations.AddField(
            model_name="question",
            name="guidance_cy",
            field=models.TextField(blank=True, verbose_name="what good looks like, in Welsh"),
        ),
        migrations.AddField(
            model_name="leveldescriptor",
            name="description_cy",
            field=models.TextField(blank=True, verbose_name="description in Welsh"),
        ),
    ]
