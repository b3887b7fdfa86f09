"""Reports in Welsh (issue 19): a report is written in the language it was asked in, a Welsh
report is a different report (and file) from the English one, and the members' briefing keeps
its plain-language rule in Welsh (reports.plain_words).

The Welsh comes from the catalogue: these tests compile what there is of it (the merged
django.po and, before the merge, this app's fragment) into a temporary locale, so they read
real Welsh whichever stage the catalogue is at.
"""

import csv
import io
import re
from html import unescape

import polib
import pytest
from django.conf import settings as django_settings
from django.utils import translation

from assessments.models import Dimension
from reports import services
from reports.council_report import member_briefing_html
from reports.models import Report, ReportChunk, ReportKind, ReportStatus
from reports.plain_words import JARGON, jargon_in
from reports.tests.test_reports import sector  # noqa: F401 - the fixture

LOCALE = django_settings.BASE_DIR / "locale" / "cy"
CATALOGUES = [LOCALE / "LC_MESSAGES" / "django.po", LOCALE / "parts" / "reports.po"]
BRIEFING_SOURCES = ("reports/templates/reports/pdf/member_briefing.html", "reports/plan_wording.py")


def welsh_entries() -> list[polib.POEntry]:
    """Every translated Welsh message: the catalogue's, then the fragment's (if not merged)."""
    found: dict[tuple[str | None, str], polib.POEntry] = {}
    for path in CATALOGUES:
        if path.exists():
            for entry in polib.pofile(str(path)):
                if entry.translated() and not entry.obsolete:
                    found.setdefault((entry.msgctxt, entry.msgid), entry)
    return list(found.values())


@pytest.fixture
def welsh(settings, tmp_path):
    """The Welsh catalogue, compiled into a temporary locale the test reads."""
    mo = polib.MOFile()
    mo.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "cy",
        "Plural-Forms": "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;",
    }
    for entry in welsh_entries():
        mo.append(entry)
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    mo.save(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path, *django_settings.LOCALE_PATHS]
    yield
    translation.trans_real._translations = {}  # noqa: SLF001 - none of it outlives the test


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# The plain-language rule --------------------------------------------------------------------


def test_the_rule_refuses_the_same_four_ideas_in_each_language():
    assert jargon_in("The median score", "en-gb") == ["median"]
    assert jargon_in("Y canolrif oedd 3.2", "cy") == ["anolrif"]
    # Every mutation of each Welsh word is caught, and its plural.
    for text in ("ei ganolrif", "eu canolrifau", "fy nghanolrif", "ei chanolrif"):
        assert jargon_in(text, "cy"), text
    for text in ("y 10fed canradd", "ei ganradd", "chwartel isaf", "y dimensiynau", "ddimensiwn"):
        assert jargon_in(text, "cy"), text
    # The plain words the briefing uses instead pass.
    assert jargon_in("y sgôr ganol oedd 3.25; yn y rhwystr hwn", "cy") == []
    assert len(JARGON["cy"]) >= len(JARGON["en"])


def test_the_rule_follows_the_active_language():
    with translation.override("cy"):
        assert jargon_in("y canolrif") == ["anolrif"]
        assert jargon_in("the median") == []
    with translation.override("en-gb"):
        assert jargon_in("the median") == ["median"]


def test_no_welsh_message_of_the_briefing_uses_the_words_it_refuses():
    briefing = [
        entry
        for entry in welsh_entries()
        if any(path in BRIEFING_SOURCES for path, _line in entry.occurrences)
    ]
    assert len(briefing) > 30
    for entry in briefing:
        for welsh in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            assert jargon_in(welsh, "cy") == [], (entry.msgid, welsh)
            assert jargon_in(welsh, "en") == [], (entry.msgid, welsh)


@pytest.mark.django_db
def test_the_briefing_in_welsh_is_plain_welsh(personas, sector, welsh):  # noqa: F811
    for number, dimension in enumerate(sector["dimensions"]):
        names = [("Leadership and strategy", "Arweinyddiaeth a strategaeth")]
        names.append(("Data sharing and use", "Rhannu a defnyddio data"))
        Dimension.objects.filter(pk=dimension.pk).update(
            name_en=names[number % 2][0], name_cy=names[number % 2][1]
        )
    council = personas.council_a

    with translation.override("cy"):
        html = member_briefing_html(council_id=council.pk, group_slug=None)
    english = member_briefing_html(council_id=council.pk, group_slug=None)

    text = visible_text(html)
    assert '<html lang="cy">' in html
    assert "Cynnydd digidol ein cyngor" in text
    assert "Ble rydyn ni arni" in text
    assert jargon_in(text, "cy") == [], text
    assert jargon_in(text, "en") == [], text
    assert "Our council's digital progress" not in text
    # English is as it was.
    assert '<html lang="en-GB">' in english
    assert "Our council's digital progress" in visible_text(english)
    assert jargon_in(visible_text(english), "en") == []


# A report is written in the language it was asked in ----------------------------------------


@pytest.mark.django_db
def test_a_report_asked_for_in_welsh_is_its_own_report_and_file(personas, sector):  # noqa: F811
    ask = {"kind": ReportKind.SECTOR_CSV, "by": personas.analyst, "round": sector["latest"]}

    english = services.report_request(**ask, network=personas.network)
    with translation.override("cy"):
        welsh = services.report_request(**ask, network=personas.network)
        again = services.report_request(**ask, network=personas.network)

    assert (english.language, welsh.language) == ("en-gb", "cy")
    assert welsh.pk != english.pk and again.pk == welsh.pk
    assert english.filename.endswith(f"-{sector['latest'].slug}.csv")
    assert welsh.filename.endswith(f"-{sector['latest'].slug}-cy.csv")
    assert services.report_language("cy-GB") == "cy"
    assert services.report_language("fr") == django_settings.LANGUAGE_CODE


def _file(report: Report) -> str:
    chunks = ReportChunk.objects.filter(report=report).order_by("number")
    return b"".join(bytes(c.data) for c in chunks).decode("utf-8")


@pytest.mark.django_db
def test_the_job_writes_the_report_in_its_language(personas, sector, welsh):  # noqa: F811
    ask = {"kind": ReportKind.SECTOR_CSV, "by": personas.staff, "round": sector["latest"]}
    english = services.report_request(**ask)
    with translation.override("cy"):
        welsh_report = services.report_request(**ask)

    # The job has no request, and runs in whatever language the worker has.
    with translation.override("en-gb"):
        services.report_generate(report_id=welsh_report.pk)
        services.report_generate(report_id=english.pk)

    welsh_report.refresh_from_db()
    english.refresh_from_db()
    assert welsh_report.status == english.status == ReportStatus.READY
    welsh_rows = list(csv.reader(io.StringIO(_file(welsh_report))))
    english_rows = list(csv.reader(io.StringIO(_file(english))))
    # The column names and statistics are identifiers, the same in both; the names are not.
    assert welsh_rows[0] == english_rows[0]
    assert {row[5] for row in welsh_rows[1:]} == {row[5] for row in english_rows[1:]}
    assert english_rows[1][1] == "All UK councils"
    assert welsh_rows[1][1] == "Holl gynghorau'r DU"
    assert "Sgôr gyffredinol" in {row[4] for row in welsh_rows}


@pytest.mark.django_db
def test_a_failure_is_told_in_the_reports_language(personas, sector, welsh, monkeypatch):  # noqa: F811
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("reports.sector.data.sector_data", broken)
    with translation.override("cy"):
        report = services.report_request(
            kind=ReportKind.SECTOR_CSV, by=personas.staff, round=sector["latest"]
        )
    services.report_generate(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error.startswith("Aeth rhywbeth o'i le")


@pytest.mark.django_db
def test_the_welsh_briefing_stays_on_one_page(personas, sector, welsh, poppler, tmp_path):  # noqa: F811
    from reports.council_report import build_member_briefing_pdf
    from reports.tests.test_council_report import page_count, pdf_text

    with translation.override("cy"):
        pdf = build_member_briefing_pdf(council_id=personas.council_a.pk, group_slug=None)

    assert page_count(pdf, tmp_path) == 1
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Cynnydd digidol ein cyngor" in text
    assert jargon_in(text, "cy") == []
