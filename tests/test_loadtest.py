"""The load generator `.ci/load` runs (tools/loadtest.py): its arithmetic, how it fills in the
barrier page's form, and a short run against a live portal that must sign in, answer and
read the dashboard without an error."""

import json
import random
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from assessments import services
from assessments.models import Answer, Dimension
from assessments.tests.factories import AssessmentRoundFactory

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import loadtest  # noqa: E402


def test_percentiles_are_in_milliseconds():
    assert loadtest.percentiles([0.010]) == {"p50_ms": 10.0, "p95_ms": 10.0, "p99_ms": 10.0}
    spread = loadtest.percentiles([n / 1000 for n in range(1, 101)])
    assert spread == {"p50_ms": 50.5, "p95_ms": 95.0, "p99_ms": 99.0}


def test_the_machines_cpu_is_read_from_linux():
    found = loadtest.machine_cpu()
    if not Path("/proc/stat").exists():
        assert found is None
        return
    busy, stolen = found
    assert busy > 0 and stolen >= 0


def _person() -> loadtest.Person:
    person = loadtest.Person.__new__(loadtest.Person)
    person.rng = random.Random(1)
    person.cookies = {}
    return person


def test_cookies_are_kept_and_a_cleared_one_dropped():
    person = _person()
    person._set_cookie('sessionid="abc"; HttpOnly; Path=/; Secure')
    person._set_cookie("csrftoken=xyz; Path=/")
    person._set_cookie("csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/")

    assert person.cookies == {"sessionid": "abc"}


PAGE = """
<form method="post" action="/search/"><input type="text" name="q" value="x"></form>
<form method="post" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="token">
  <input type="radio" name="q7-answer" value="1"><input type="radio" name="q7-answer" value="5">
  <input type="radio" name="q7-answer" value="not_applicable">
  <input type="radio" name="q7-confidence" value="low">
  <input type="radio" name="q7-confidence" value="high">
  <textarea name="q7-note" rows="4">
Our strategy &amp; plan</textarea>
  <input type="text" name="q7-link" value="https://example.gov.uk/a?b=1&amp;c=2">
  <button type="submit" name="continue">Save and continue</button>
</form>
"""


def test_the_answers_form_is_filled_in_as_a_person_would():
    fields = dict(_person().answers(PAGE, "/assessments/1/dimensions/LEAD/"))

    assert fields.pop("q7-answer") in {"1", "5", "not_applicable"}
    assert fields.pop("q7-confidence") in {"low", "high"}
    assert fields == {
        "csrfmiddlewaretoken": "token",
        "q7-note": "Our strategy & plan",
        "q7-link": "https://example.gov.uk/a?b=1&c=2",
        "continue": "",
    }


@pytest.mark.django_db(transaction=True)
def test_a_short_run_signs_in_answers_and_reads_the_dashboard(
    live_server, personas, settings, tmp_path, capsys
):
    # As production behind its proxy: the generator says every request came over HTTPS.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    round_ = AssessmentRoundFactory()
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    people = {
        "password": PASSWORD,
        "officers": [
            {
                "email": personas.officer_a.email,
                "role": "officer",
                "council": personas.council_a.gss_code,
                "overview_url": reverse("assessments:overview", args=[assessment.pk]),
                "barrier_urls": [
                    reverse("assessments:dimension", args=[assessment.pk, d.code])
                    for d in Dimension.objects.for_framework(round_.framework_id)
                ],
            }
        ],
        "executives": [
            {
                "email": personas.executive_a.email,
                "role": "executive",
                "council": personas.council_a.gss_code,
                "dashboard_url": reverse("benchmarks:council", args=[personas.council_a.gss_code]),
                "default_group": "",
                "group_slugs": [],
            }
        ],
    }
    (tmp_path / "people.json").write_text(json.dumps(people))

    code = loadtest.main(
        [
            "--base-url", live_server.url,
            "--people", str(tmp_path / "people.json"),
            "--users", "2",
            "--executives", "1",
            "--seconds", "2",
            "--think", "0", "0",
            "--ramp", "0",
            "--run", "test",
        ]
    )  # fmt: skip

    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0
    assert (line["measure"], line["errors"], line["sign_in_errors"]) == ("load", 0, 0)
    assert {"sign-in", "task list", "barrier page", "save answers", "dashboard"} <= set(
        line["pages"]
    )
    assert line["requests"] == sum(
        page["requests"] for name, page in line["pages"].items() if not name.startswith("sign-in")
    )
    # The answers it saved are in the database.
    assert Answer.objects.filter(response__assessment=assessment).exists()
