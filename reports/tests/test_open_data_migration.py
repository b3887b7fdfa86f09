"""Rounds published before editions existed become edition 1, with the figures their pinned
release had: migrating loses no publication and changes no figure."""

import csv
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.services import round_close
from benchmarks.models import Release, ReleasedResult
from benchmarks.tests.dashboard_data import build_sector
from reports.models import OpenDataEdition

BEFORE = [("reports", "0002_open_data_release")]
AFTER = [("reports", "0003_open_data_editions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """Leave the database at the latest migrations, or later tests meet an older schema (a
    column added after AFTER would be missing for the rest of the run)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_round_published_before_editions_becomes_edition_one(personas, settings):
    sector = build_sector(personas, settings)
    latest = sector["latest"]
    round_close(round=latest, by=personas.staff)
    release = Release.objects.get(round=latest, current=True)
    tier = ReleasedResult.objects.get(release=release, group_slug="tier-unitary", dimension=None)

    old = migrate(BEFORE)
    old.get_model("reports", "PublishedRound").objects.create(
        round_id=latest.pk, release_id=release.pk, published_by_id=personas.staff.pk
    )
    migrate(AFTER)

    edition = OpenDataEdition.objects.get(round=latest)
    assert (edition.number, edition.release_id, edition.published_by) == (
        1,
        release.pk,
        personas.staff,
    )
    rows = list(csv.DictReader(io.StringIO(bytes(edition.csv_file).decode())))
    median = next(
        r["value"]
        for r in rows
        if r["group"] == "tier-unitary"
        and r["dimension"] == "Overall score"
        and r["statistic"] == "median"
    )
    assert median == f"{tier.median:.2f}"
    assert edition.csv_size == len(bytes(edition.csv_file))
