import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from councils.models import Council, FormerGssCode, Tier
from councils.register import (
    DEFAULT_CSV_PATH,
    CouncilImportError,
    ImportResult,
    councils_import,
)
from councils.tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


def shipped_rows() -> list[dict[str, str]]:
    with DEFAULT_CSV_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def snapshot() -> list[tuple]:
    councils = list(Council.objects.order_by("gss_code").values_list())
    former = list(FormerGssCode.objects.order_by("gss_code").values_list("gss_code", "council"))
    return [*councils, *former]


def messages(error: pytest.ExceptionInfo[CouncilImportError]) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in error.value.problems]


def test_import_of_shipped_file_creates_every_council():
    result = councils_import(path=DEFAULT_CSV_PATH)

    assert result == ImportResult(created=382, updated=0, unchanged=0, not_in_file=0)
    assert Council.objects.count() == 382
    assert Counter(Council.objects.values_list("nation", flat=True)) == {
        "England": 317,
        "Wales": 22,
        "Scotland": 32,
        "Northern Ireland": 11,
    }
    hartlepool = Council.objects.get(gss_code="E06000001")
    assert hartlepool.short_name == "Hartlepool"
    assert hartlepool.population == 93836
    assert hartlepool.deprivation_score == Decimal("34.96")
    assert Council.objects.filter(tier=Tier.LOWER, parent_county__isnull=True).count() == 0
    assert Council.objects.filter(parent_county__isnull=False).count() == 164
    barnsley = Council.objects.get(gss_code="E08000038")
    assert list(barnsley.former_codes.values_list("gss_code", flat=True)) == ["E08000016"]
    glasgow = Council.objects.get(gss_code="S12000049")
    assert set(glasgow.former_codes.values_list("gss_code", flat=True)) == {
        "S12000043",
        "S12000046",
    }


def test_import_accepts_rows_as_well_as_a_path():
    result = councils_import(rows=shipped_rows())

    assert result.created == 382


def test_reimport_changes_nothing(django_assert_max_num_queries):
    councils_import(path=DEFAULT_CSV_PATH)
    before = snapshot()

    with django_assert_max_num_queries(15):
        result = councils_import(path=DEFAULT_CSV_PATH)

    assert result == ImportResult(created=0, updated=0, unchanged=382)
    assert snapshot() == before


def test_first_import_uses_a_bounded_number_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        councils_import(path=DEFAULT_CSV_PATH)


def test_changed_population_updates_the_council_in_place(tmp_path):
    councils_import(path=DEFAULT_CSV_PATH)
    hartlepool = Council.objects.get(gss_code="E06000001")
    rows = shipped_rows()
    rows[0]["population"] = "94000"

    result = councils_import(path=write_csv(tmp_path / "councils.csv", rows))

    assert result == ImportResult(created=0, updated=1, unchanged=381)
    hartlepool.refresh_from_db()
    assert hartlepool.population == 94000
    assert Council.objects.count() == 382


def test_recoded_council_is_updated_not_duplicated():
    # The council as an older register had it, with data hanging off it.
    barnsley = CouncilFactory(
        gss_code="E08000016",
        name="Barnsley Metropolitan Borough Council",
        short_name="Barnsley",
        la_code="BNS",
    )

    result = councils_import(rows=shipped_rows())

    assert result == ImportResult(created=381, updated=1, unchanged=0)
    barnsley.refresh_from_db()
    assert barnsley.gss_code == "E08000038"
    assert list(barnsley.former_codes.values_list("gss_code", flat=True)) == ["E08000016"]
    assert Council.objects.filter(short_name_en="Barnsley").count() == 1
    assert Council.objects.count() == 382


def test_former_codes_are_kept_in_step(tmp_path):
    councils_import(path=DEFAULT_CSV_PATH)
    rows = shipped_rows()
    glasgow = next(row for row in rows if row["gss_code"] == "S12000049")
    glasgow["former_gss_codes"] = "S12000046"

    result = councils_import(path=write_csv(tmp_path / "councils.csv", rows))

    assert result.updated == 1
    assert list(
        FormerGssCode.objects.filter(council__gss_code="S12000049").values_list(
            "gss_code", flat=True
        )
    ) == ["S12000046"]


def test_councils_not_in_the_file_are_counted_and_left_alone():
    extra = CouncilFactory(gss_code="E07099999", short_name="Oldtown", la_code="ZZZZ")

    result = councils_import(rows=shipped_rows())

    assert result.not_in_file == 1
    assert Council.objects.filter(pk=extra.pk).exists()


def test_parent_county_is_linked_and_relinked(tmp_path):
    councils_import(path=DEFAULT_CSV_PATH)
    district = Council.objects.select_related("parent_county").get(gss_code="E07000032")
    assert district.parent_county.gss_code == "E10000007"  # Amber Valley, in Derbyshire

    county = Council.objects.get(gss_code="E10000007")
    assert county.districts.count() == 8


def test_swapped_short_names_are_imported(tmp_path):
    councils_import(path=DEFAULT_CSV_PATH)
    rows = shipped_rows()
    rows[0]["short_name"], rows[1]["short_name"] = rows[1]["short_name"], rows[0]["short_name"]

    result = councils_import(path=write_csv(tmp_path / "councils.csv", rows))

    assert result.updated == 2
    assert Council.objects.get(gss_code="E06000001").short_name == "Middlesbrough"
    assert Council.objects.get(gss_code="E06000002").short_name == "Hartlepool"


@pytest.mark.parametrize(
    ("change", "line", "expected"),
    [
        ({"gss_code": "E6000004"}, 5, "is not a GSS code"),
        ({"council_type": "parish"}, 5, "council_type is “parish”; it must be one of"),
        ({"population": "lots"}, 5, "population is “lots”, not a whole number"),
        ({"deprivation_score": "3x.1"}, 5, "deprivation_score is “3x.1”, not a number"),
        ({"deprivation_quintile": "6"}, 5, "deprivation_quintile is 6; it must be between 1 and 5"),
        ({"deprivation_decile": "0"}, 5, "deprivation_decile is 0; it must be between 1 and 10"),
        ({"nation": "Mercia"}, 5, "nation is “Mercia”"),
        ({"tier": "middle"}, 5, "tier is “middle”"),
        ({"rurality": "Suburban"}, 5, "rurality is “Suburban”"),
        ({"gss_code": "E06000001"}, 5, "GSS code “E06000001” is also used on line 2"),
        ({"short_name": "Hartlepool"}, 5, "short_name “Hartlepool” is also used on line 2"),
        ({"la_code": "HPL"}, 5, "la_code “HPL” is also used on line 2"),
        ({"parent_county_gss": "Durham"}, 5, "parent_county_gss “Durham” is not a GSS code"),
        ({"area_km2": "205.123"}, 5, "area_km2: Ensure that there are no more than 2 decimal"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_changes_nothing(tmp_path, change, line, expected):
    CouncilFactory(gss_code="E06000004", short_name="Stockton-on-Tees", population=1)
    before = snapshot()
    rows = shipped_rows()
    rows[3].update(change)  # line 5: the header is line 1

    with pytest.raises(CouncilImportError) as error:
        councils_import(path=write_csv(tmp_path / "bad.csv", rows))

    assert any(
        problem_line == line and expected in message for problem_line, message in messages(error)
    ), messages(error)
    # The other 381 rows were fine, but none of them was written.
    assert snapshot() == before


def test_parent_county_must_be_in_the_file(tmp_path):
    rows = shipped_rows()
    district = next(i for i, row in enumerate(rows) if row["tier"] == "lower")
    rows[district]["parent_county_gss"] = "E10000099"

    with pytest.raises(CouncilImportError) as error:
        councils_import(path=write_csv(tmp_path / "bad.csv", rows))

    assert messages(error) == [
        (
            district + 2,
            "parent_county_gss E10000099 is not the code of any council in this file.",
        )
    ]
    assert Council.objects.count() == 0


def test_a_bad_county_row_is_reported_once_not_for_each_district(tmp_path):
    rows = shipped_rows()
    county = next(i for i, row in enumerate(rows) if row["gss_code"] == "E10000007")
    rows[county]["population"] = "lots"

    with pytest.raises(CouncilImportError) as error:
        councils_import(path=write_csv(tmp_path / "bad.csv", rows))

    assert messages(error) == [(county + 2, "population is “lots”, not a whole number.")]


def test_parent_county_must_be_a_county(tmp_path):
    rows = shipped_rows()
    district = next(i for i, row in enumerate(rows) if row["tier"] == "lower")
    rows[district]["parent_county_gss"] = "E06000001"

    with pytest.raises(CouncilImportError) as error:
        councils_import(path=write_csv(tmp_path / "bad.csv", rows))

    assert messages(error) == [
        (
            district + 2,
            "parent_county_gss E06000001 is Hartlepool Borough Council (line 2), "
            "which is not a county council.",
        )
    ]


def test_missing_column_is_reported_on_the_header_line(tmp_path):
    rows = shipped_rows()
    columns = [column for column in rows[0] if column != "population"]

    with pytest.raises(CouncilImportError) as error:
        councils_import(path=write_csv(tmp_path / "bad.csv", rows, columns))

    assert messages(error) == [(1, "The header has no “population” column.")]
    assert Council.objects.count() == 0


def test_every_problem_is_reported_at_once(tmp_path):
    rows = shipped_rows()
    rows[3]["gss_code"] = "X"
    rows[9]["population"] = ""
    rows[20]["former_gss_codes"] = rows[21]["gss_code"]

    with pytest.raises(CouncilImportError) as error:
        councils_import(path=write_csv(tmp_path / "bad.csv", rows))

    assert [line for line, _ in messages(error)] == [5, 11, 22]
    assert "line 5: gss_code “X” is not a GSS code" in str(error.value)


def test_file_older_than_the_database_is_refused(tmp_path):
    councils_import(path=DEFAULT_CSV_PATH)
    before = snapshot()
    rows = shipped_rows()
    barnsley = next(row for row in rows if row["gss_code"] == "E08000038")
    barnsley.update(gss_code="E08000016", former_gss_codes="")
    # Leave the current Barnsley out, as an older register would.
    rows = [row for row in rows if row["gss_code"] != "E08000038" or row is barnsley]

    with pytest.raises(CouncilImportError) as error:
        councils_import(path=write_csv(tmp_path / "old.csv", rows))

    assert any("former code of" in message for _, message in messages(error))
    assert snapshot() == before


def test_short_name_of_a_council_outside_the_file_is_refused():
    CouncilFactory(gss_code="E07099999", short_name="Hartlepool", la_code="ZZZZ")

    with pytest.raises(CouncilImportError) as error:
        councils_import(rows=shipped_rows())

    [(line, message)] = messages(error)
    assert line == 2
    assert message.startswith("short_name “Hartlepool” already belongs to Testshire")
    assert message.endswith("(E07099999), which is not in this file.")
    assert Council.objects.count() == 1


def test_path_or_rows_is_required():
    with pytest.raises(TypeError):
        councils_import()
