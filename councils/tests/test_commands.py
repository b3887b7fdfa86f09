import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from councils.models import Council
from councils.register import DEFAULT_CSV_PATH

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_councils", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_councils_defaults_to_the_shipped_file():
    out, err = run()

    assert out.strip() == (
        "Imported 382 councils: 382 created, 0 updated, 0 unchanged. "
        "Welsh names: 22 set, 0 unchanged."
    )
    assert err == ""
    assert Council.objects.count() == 382


def test_running_again_reports_unchanged_councils():
    run()

    out, _ = run(str(DEFAULT_CSV_PATH))

    assert out.strip() == (
        "Imported 382 councils: 0 created, 0 updated, 382 unchanged. "
        "Welsh names: 0 set, 22 unchanged."
    )


def test_a_bad_file_is_reported_line_by_line_and_changes_nothing(tmp_path: Path):
    with DEFAULT_CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[3]["gss_code"] = "E6000004"
    rows[6]["council_type"] = "parish"
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    err = StringIO()

    with pytest.raises(CommandError, match="2 problems. Nothing was imported or changed."):
        call_command("import_councils", str(bad), stdout=StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 5: gss_code “E6000004” is not a GSS code")
    assert lines[1].startswith("line 8: council_type is “parish”")
    assert Council.objects.count() == 0


def test_a_missing_file_is_a_command_error(tmp_path: Path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nowhere.csv"))
