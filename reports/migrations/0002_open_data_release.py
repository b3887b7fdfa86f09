import django.db.models.deletion
from django.db import migrations, models


def withdraw_live_publications(apps, schema_editor):
    # Open data published before releases streamed live figures, which two downloads could
    # subtract (issue 12). It is withdrawn; staff publish the closed round again, from a release.
    apps.get_model("reports", "PublishedRound").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0004_releases"),
        ("reports", "0001_reports"),
    ]

    operations = [
        migrations.RunPython(withdraw_live_publications, migrations.RunPython.noop),
        migrations.AddField(
            model_name="publishedround",
            name="release",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="+",
                to="benchmarks.release",
            ),
            preserve_default=False,
        ),
    ]
