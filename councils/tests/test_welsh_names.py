"""The Welsh councils' names in Welsh (issue 19): imported beside the register, read in the
active language, searched and sorted as people see them, and refused when the file is wrong."""

import csv
import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import CouncilMembership
from accounts.tests.factories import CouncilMembershipFactory
from councils.models import Council, Nation, name_order, region_name
from councils.register import (
    DEFAULT_WELSH_NAMES_PATH,
    CouncilImportError,
    councils_import,
    welsh_names_import,
)
from councils.register.columns import COLUMNS
from councils.tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db

# Three Welsh councils with their Welsh names (Bridgend comes first in English and last in
# Welsh), one with none yet, and an English council.
WELSH = [
    ("W06000015", "City of Cardiff Council", "Cardiff", "Cyngor Caerdydd", "Caerdydd"),
    ("W06000022", "Newport City Council", "Newport", "Cyngor Dinas Casnewydd", "Casnewydd"),
    (
        "W06000013",
        "Bridgend County Borough Council",
        "Bridgend",
        "Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr",
        "Pen-y-bont ar Ogwr",
    ),
    ("W06000011", "City and County of Swansea Council", "Swansea", "", ""),
]


@pytest.fixture
def wales():
    made = {
        code: CouncilFactory(
            gss_code=code,
            name=name,
            short_name=short,
            name_cy=name_cy,
            short_name_cy=short_cy,
            nation=Nation.WALES,
            region="Wales",
        )
        for code, name, short, name_cy, short_cy in WELSH
    }
    made["E06000001"] = CouncilFactory(
        gss_code="E06000001", name="Hartlepool Borough Council", short_name="Hartlepool"
    )
    return made


def names_file(tmp_path: Path, rows: list[tuple[str, str, str]], header: str = "") -> Path:
    path = tmp_path / "welsh_names.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write((header or "gss_code,name_cy,short_name_cy") + "\n")
        csv.writer(handle).writerows(rows)
    return path


def test_a_council_is_named_in_the_active_language(wales):
    cardiff = Council.objects.get(gss_code="W06000015")

    assert (cardiff.name, cardiff.short_name, str(cardiff)) == (
        "City of Cardiff Council",
        "Cardiff",
        "City of Cardiff Council",
    )
    with translation.override("cy"):
        assert (cardiff.name, cardiff.short_name, str(cardiff)) == (
            "Cyngor Caerdydd",
            "Caerdydd",
            "Cyngor Caerdydd",
        )
    # A council with no Welsh name is called by its English one in Welsh too.
    with translation.override("cy"):
        assert Council.objects.get(gss_code="W06000011").short_name == "Swansea"


def test_setting_the_name_sets_the_english_whatever_language_is_active(wales):
    cardiff = Council.objects.get(gss_code="W06000015")
    with translation.override("cy"):
        cardiff.short_name = "Cardiff City"
        cardiff.save()

    cardiff.refresh_from_db()
    assert (cardiff.short_name_en, cardiff.short_name_cy) == ("Cardiff City", "Caerdydd")


def test_the_shipped_file_names_every_welsh_council_and_only_them():
    councils_import(path=Path(__file__).resolve().parents[1] / "data" / "uk_councils.csv")

    result = welsh_names_import()

    assert (result.changed, result.unchanged, result.not_in_register) == (22, 0, 0)
    named = Council.objects.exclude(name_cy="")
    assert named.count() == 22
    assert set(named.values_list("nation", flat=True)) == {Nation.WALES}
    assert not Council.objects.filter(nation=Nation.WALES, short_name_cy="").exists()
    assert Council.objects.get(gss_code="W06000002").name_cy == "Cyngor Gwynedd"
    # Safe to run again.
    assert welsh_names_import().changed == 0


def test_a_register_without_some_welsh_councils_counts_them_and_goes_on(wales):
    result = welsh_names_import()

    assert (result.not_in_register, result.unchanged) == (18, 3)
    assert result.changed == 1  # Swansea had no Welsh name
    assert Council.objects.get(gss_code="W06000011").short_name_cy == "Abertawe"


def test_two_councils_may_swap_welsh_short_names(wales, tmp_path):
    swapped = names_file(
        tmp_path,
        [
            ("W06000015", "Cyngor Caerdydd", "Casnewydd"),
            ("W06000022", "Cyngor Dinas Casnewydd", "Caerdydd"),
        ],
    )

    assert welsh_names_import(swapped).changed == 2

    assert Council.objects.get(gss_code="W06000015").short_name_cy == "Casnewydd"


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            [("E06000001", "Cyngor Hartlepool", "Hartlepool")],
            "line 2: gss_code “E06000001” is not a Welsh council's code.",
        ),
        ([("W06000015", "", "Caerdydd")], "line 2: name_cy is blank."),
        (
            [("W06000015", "Cyngor Caerdydd", "Caerdydd"), ("W06000022", "Cyngor", "Caerdydd")],
            "line 3: short_name_cy “Caerdydd” is also used on line 2.",
        ),
        (
            [("W06000011", "Cyngor Abertawe", "Casnewydd")],
            "line 2: short_name_cy “Casnewydd” already belongs to Newport City Council, which "
            "is not in this file.",
        ),
        (
            [("W06000015", "Cyngor " + "Caerdydd " * 20, "Caerdydd")],
            "line 2: name_cy “Cyngor " + "Caerdydd " * 19 + "Caerdydd” is longer than 120 letters.",
        ),
    ],
)
def test_a_wrong_file_is_refused_line_by_line_and_changes_nothing(wales, tmp_path, rows, problem):
    with pytest.raises(CouncilImportError) as refused:
        welsh_names_import(names_file(tmp_path, rows))

    assert [str(p) for p in refused.value.problems] == [problem]
    assert sorted(Council.objects.exclude(name_cy="").values_list("short_name_cy", flat=True)) == [
        "Caerdydd",
        "Casnewydd",
        "Pen-y-bont ar Ogwr",
    ]


def test_a_file_with_other_columns_is_refused(wales, tmp_path):
    with pytest.raises(CouncilImportError, match="The header must be: gss_code, name_cy"):
        welsh_names_import(names_file(tmp_path, [], header="gss_code,welsh_name"))


def test_import_councils_changes_nothing_when_the_welsh_file_is_wrong(tmp_path):
    bad = names_file(tmp_path, [("W06000015", "", "")])
    err = StringIO()

    with pytest.raises(CommandError, match="welsh_names.csv has 2 problems. Nothing was"):
        call_command("import_councils", "--welsh-names", str(bad), stdout=StringIO(), stderr=err)

    assert Council.objects.count() == 0  # the register's import was undone with it
    assert err.getvalue().splitlines() == [
        "line 2: name_cy is blank.",
        "line 2: short_name_cy is blank.",
    ]


def test_two_councils_cannot_share_a_welsh_short_name(wales):
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.filter(gss_code="W06000022").update(short_name_cy="Caerdydd")
    # Blank is not a name: any number of councils have none.
    assert Council.objects.filter(short_name_cy="").count() == 2


def test_search_finds_a_council_by_either_name_in_either_language(wales):
    for text in ("Caerdydd", "cyngor caerdydd", "Cardiff"):
        assert list(Council.objects.search(text).values_list("gss_code", flat=True)) == [
            "W06000015"
        ]


def test_the_directory_names_and_sorts_councils_as_each_reader_sees_them(client, personas, wales):
    client.force_login(personas.officer_a)
    english = client.get(reverse("councils:directory"), {"nation": Nation.WALES}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = client.get(reverse("councils:directory"), {"nation": Nation.WALES}).content.decode()

    def order(page: str, names: list[str]) -> list[str]:
        return sorted(names, key=page.index)

    assert order(
        english,
        [
            "City and County of Swansea Council",
            "Newport City Council",
            "City of Cardiff Council",
            "Bridgend County Borough Council",
        ],
    ) == [
        "Bridgend County Borough Council",
        "City of Cardiff Council",
        "Newport City Council",
        "City and County of Swansea Council",
    ]
    assert order(
        welsh,
        [
            "City and County of Swansea Council",
            "Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr",
            "Cyngor Dinas Casnewydd",
            "Cyngor Caerdydd",
        ],
    ) == [
        "Cyngor Caerdydd",
        "Cyngor Dinas Casnewydd",
        "Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr",
        "City and County of Swansea Council",
    ]
    assert "City of Cardiff Council" not in welsh
    assert "Cyngor Caerdydd" not in english


def test_lists_through_another_model_sort_by_the_name_people_see(wales):
    memberships = [
        CouncilMembershipFactory(council=wales[code]) for code in ("W06000013", "W06000015")
    ]
    with translation.override("cy"):
        welsh = list(
            CouncilMembership.objects.filter(pk__in=[m.pk for m in memberships]).order_by(
                name_order("council__")
            )
        )
    english = list(
        CouncilMembership.objects.filter(pk__in=[m.pk for m in memberships]).order_by(
            name_order("council__")
        )
    )

    assert [m.council.short_name_en for m in welsh] == ["Cardiff", "Bridgend"]
    assert [m.council.short_name_en for m in english] == ["Bridgend", "Cardiff"]


def test_a_register_entry_gives_both_names_each_marked_with_its_language(client, personas, wales):
    client.force_login(personas.officer_a)

    english = client.get(reverse("councils:detail", args=["W06000015"])).content.decode()
    hartlepool = client.get(reverse("councils:detail", args=["E06000001"])).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = client.get(reverse("councils:detail", args=["W06000015"])).content.decode()

    assert '<h1 class="govuk-heading-l">City of Cardiff Council</h1>' in english
    assert '<h1 class="govuk-heading-l">Cyngor Caerdydd</h1>' in welsh
    for page in (english, welsh):
        assert 'lang="en">City of Cardiff Council (Cardiff)</dd>' in page
        assert 'lang="cy">Cyngor Caerdydd (Caerdydd)</dd>' in page
    assert "Name in English" in english
    assert "Name in English" not in hartlepool


def test_the_register_importer_writes_the_english_names_and_keeps_the_welsh(wales):
    """The register's name columns are the English fields; a re-import leaves the Welsh."""
    row = {column.name: "" for column in COLUMNS}
    row.update(
        gss_code="W06000015",
        name="Cardiff Council",
        short_name="Cardiff",
        council_type="welsh_unitary",
        nation="Wales",
        region="Wales",
        population="362000",
        population_year="2020",
        deprivation_score="25.1",
        deprivation_quintile="3",
        deprivation_decile="5",
        high_deprivation_share="0.25",
        la_code="CRF",
        tier="unitary",
        area_km2="140.4",
        density_per_km2="2578.3",
        rurality="Urban",
    )
    with translation.override("cy"):
        result = councils_import(rows=[row])

    assert result.updated == 1
    cardiff = Council.objects.get(gss_code="W06000015")
    assert (cardiff.name_en, cardiff.name_cy) == ("Cardiff Council", "Cyngor Caerdydd")


def test_the_migration_fills_the_welsh_names_of_councils_already_imported(wales):
    Council.objects.filter(gss_code__startswith="W").update(name_cy="", short_name_cy="")
    migration = importlib.import_module("councils.migrations.0003_council_welsh_names")

    migration.fill_welsh_names(apps, None)

    assert dict(
        Council.objects.filter(gss_code__startswith="W").values_list("gss_code", "name_cy")
    ) == {
        "W06000015": "Cyngor Caerdydd",
        "W06000022": "Cyngor Dinas Casnewydd",
        "W06000013": "Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr",
        "W06000011": "Cyngor Dinas a Sir Abertawe",
    }
    assert migration.WELSH_NAMES == DEFAULT_WELSH_NAMES_PATH


def test_regions_are_named_in_the_readers_language_and_kept_in_english(client, personas):
    CouncilFactory(gss_code="E08000021", region="North East", short_name="Newcastle upon Tyne")
    client.force_login(personas.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    page = client.get(reverse("councils:directory"), {"region": "North East"})

    content = page.content.decode()
    assert '<option value="North East" selected>Gogledd-ddwyrain Lloegr</option>' in content
    assert "Lloegr: Gogledd-ddwyrain Lloegr" in content  # the table's nation and region
    with translation.override("en-gb"):
        assert region_name("Wales") == "Wales"
    with translation.override("cy"):
        assert region_name("Wales") == "Cymru"
        assert region_name("Somewhere new") == "Somewhere new"


def test_import_councils_says_how_many_welsh_names_had_no_council(tmp_path):
    register = Path(__file__).resolve().parents[1] / "data" / "uk_councils.csv"
    with register.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["gss_code"] == "W06000002"]
    cut = tmp_path / "gwynedd.csv"
    with cut.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = StringIO()

    call_command("import_councils", str(cut), stdout=out, stderr=StringIO())

    assert out.getvalue().strip() == (
        "Imported 1 councils: 1 created, 0 updated, 0 unchanged. "
        "Welsh names: 1 set, 0 unchanged, 21 for councils not in the database."
    )
