import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def publications_to_editions(apps, schema_editor):
    """Each round published before editions becomes edition 1, its files made from the release
    it had pinned, as the download addresses served it."""
    from benchmarks.services import min_group_size
    from reports import open_data

    results = apps.get_model("benchmarks", "ReleasedResult").objects
    min_group = min_group_size()
    edition = apps.get_model("reports", "OpenDataEdition")
    for published in apps.get_model("reports", "PublishedRound").objects.select_related(
        "round", "release"
    ):
        head = open_data.EditionHead(
            round_slug=published.round.slug,
            # The round's English name: `name_en` once assessments 0005 has run, which may
            # be before or after this migration.
            round_name=getattr(published.round, "name_en", None) or published.round.name,
            number=1,
            published_at=published.published_at,
            release_number=published.release.number,
            release_made_at=published.release.made_at,
            correction="",
        )
        files = open_data.render(
            head, open_data.release_rows(results, published.release_id), min_group=min_group
        )
        edition.objects.create(
            round_id=published.round_id,
            number=1,
            published_at=published.published_at,
            published_by_id=published.published_by_id,
            release_id=published.release_id,
            csv_file=files.csv,
            json_file=files.json,
            csv_sha256=files.csv_sha256,
            json_sha256=files.json_sha256,
            csv_size=len(files.csv),
            json_size=len(files.json),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0001_initial'),
        ('benchmarks', '0004_releases'),
        ('reports', '0002_open_data_release'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OpenDataEdition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('correction', models.TextField(blank=True)),
                ('csv_file', models.BinaryField()),
                ('json_file', models.BinaryField()),
                ('csv_sha256', models.CharField(max_length=64)),
                ('json_sha256', models.CharField(max_length=64)),
                ('csv_size', models.PositiveIntegerField()),
                ('json_size', models.PositiveIntegerField()),
                ('published_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('release', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='+', to='benchmarks.release')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='open_data_editions', to='assessments.assessmentround')),
            ],
            options={
                'ordering': ['round_id', 'number'],
            },
        ),
        migrations.AddConstraint(
            model_name='opendataedition',
            constraint=models.UniqueConstraint(fields=('round', 'number'), name='open_data_edition_unique'),
        ),
        migrations.RunPython(publications_to_editions, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='PublishedRound',
        ),
    ]
