"""The read-only API over HTTP: tokens (401 for none, a wrong one, a revoked or an expired one),
what each endpoint returns for the token's council and never for another, the peer groups'
published figures only, the rate limit, and the queries each endpoint costs."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from api import services
from api.models import ApiToken
from assessments.tests.factories import AssessmentRoundFactory, scored_assessment
from benchmarks.tests.dashboard_data import build_sector
from plans.tests.factories import target_with_action

AUTHENTICATED = ["api:council", "api:rounds"]
PER_ROUND = ["api:scores", "api:positions", "api:plan"]


@pytest.fixture
def sector(personas, settings):
    return build_sector(personas, settings)


def token_for(personas, council=None, days=30) -> str:
    council = council or personas.council_a
    lead = personas.lead_a
    if council != personas.council_a:
        from accounts.models import CouncilMembership, CouncilRole

        CouncilMembership.objects.get_or_create(
            user=lead, council=council, defaults={"role": CouncilRole.LEAD}
        )
    _, text = services.api_token_create(council=council, name="Power BI", days=days, by=lead)
    return text


def get(client, name, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(reverse(name, kwargs=kwargs or None), headers=headers)


@pytest.mark.parametrize("name", AUTHENTICATED)
@pytest.mark.parametrize("token", [None, "cdmp_not-a-real-token", "Basic abc"])
def test_without_a_good_token_the_api_answers_401(client, personas, name, token):
    response = get(client, name, token)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_revoked_or_expired_token_is_refused(client, personas):
    text = token_for(personas)
    assert get(client, "api:council", text).status_code == 200

    token = ApiToken.objects.get()
    later = token.expires_at + timedelta(seconds=1)
    with time_machine.travel(later):
        assert get(client, "api:council", text).status_code == 401

    services.api_token_revoke(token=token, by=personas.lead_a)
    assert get(client, "api:council", text).status_code == 401


def test_a_token_reads_its_own_council_and_notes_its_use(client, personas):
    text = token_for(personas)

    response = get(client, "api:council", text)

    assert response.json()["gss_code"] == "E06000001"
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    assert ApiToken.objects.get().last_used_at is not None


def test_only_the_token_text_works_and_only_its_hash_is_kept(personas):
    text = token_for(personas)
    token = ApiToken.objects.get()
    assert text.startswith("cdmp_") and len(text) == 48
    assert text not in (token.digest, token.prefix) and text.startswith(token.prefix)
    assert services.api_token_use(text[:-1]) is None


def test_scores_give_each_barrier_and_each_agreed_answer(client, personas, sector):
    text = token_for(personas)
    latest = sector["latest"]

    body = get(client, "api:scores", text, slug=latest.slug).json()

    assert body["round"] == latest.slug
    assert [b["score"] for b in body["barriers"]] == [2.0, 4.0]
    assert body["overall_score"] == 3.0
    first = body["barriers"][0]["questions"]
    assert [q["level"] for q in first] == [3, 1, 5]
    assert {q["answer"] for q in first} == {"level"}


def test_positions_come_from_the_published_release_only(client, personas, sector):
    text = token_for(personas)

    groups = get(client, "api:positions", text, slug=sector["latest"].slug).json()

    by_slug = {g["slug"]: g for g in groups}
    # B's own neighbour group contains A, but is B's: never shown to A.
    assert set(by_slug) == {"neighbours-a", "region-ne", "tier-unitary", "rurality-urban"}
    small = by_slug["rurality-urban"]["positions"]
    assert all(p["withheld"] and p["councils"] is None and p["median"] is None for p in small)
    assert all(p["rank"] is None for p in small)
    tier = {p["barrier"]: p for p in by_slug["tier-unitary"]["positions"]}
    assert tier["overall"]["councils"] == 8 and tier["overall"]["withheld"] == ""
    assert tier["overall"]["rank"] is not None
    # No other council's score, in any form, is in the answer.
    assert "distribution" not in str(groups) and "members" not in str(groups)


def test_a_round_the_council_has_not_signed_off_is_404(client, personas, sector):
    text = token_for(personas)
    nothing = AssessmentRoundFactory(framework=sector["latest"].framework)
    for name in PER_ROUND:
        assert get(client, name, text, slug=nothing.slug).status_code == 404
        assert get(client, name, text, slug="no-such-round").status_code == 404


def test_a_token_of_council_a_gets_404_for_every_object_of_council_b(client, personas, sector):
    only_b = AssessmentRoundFactory(framework=sector["latest"].framework, slug="only-b")
    scored_assessment(
        council=personas.council_b,
        round=only_b,
        scores={d: "3.0" for d in sector["dimensions"]},
    )
    a_token, b_token = token_for(personas), token_for(personas, personas.council_b)

    for name in ("api:scores", "api:positions"):
        assert get(client, name, b_token, slug="only-b").status_code == 200
        assert get(client, name, a_token, slug="only-b").status_code == 404
    assert "only-b" not in str(get(client, "api:rounds", a_token).json())
    assert get(client, "api:council", b_token).json()["gss_code"] == "E06000002"


def test_the_open_data_needs_no_token(client, db):
    response = client.get(reverse("api:open_data"))
    assert response.status_code == 200 and response.json() == []


def test_each_token_is_rate_limited_with_retry_after(client, personas, settings):
    settings.API_RATE_LIMIT = "3/m"
    text, other = token_for(personas), token_for(personas)

    answers = [get(client, "api:council", text).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    limited = get(client, "api:council", text)
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    # Another token has its own count.
    assert get(client, "api:council", other).status_code == 200


@pytest.mark.parametrize("name", [*AUTHENTICATED, *PER_ROUND])
def test_each_endpoint_costs_a_bounded_number_of_queries(
    client, personas, sector, django_assert_max_num_queries, name
):
    text = token_for(personas)
    kwargs = {"slug": sector["latest"].slug} if name in PER_ROUND else {}
    with django_assert_max_num_queries(10):
        get(client, name, text, **kwargs)


def test_the_plan_gives_each_target_with_its_actions(client, personas, sector):
    latest = sector["latest"]
    assessment = personas.council_a.assessments.get(round=latest)
    target_with_action(
        assessment,
        by=personas.lead_a,
        dimension=sector["dimensions"][0],
        owner=personas.officer_a,
        description="Agree a data sharing protocol",
        level=4,
    )
    text = token_for(personas)

    body = get(client, "api:plan", text, slug=latest.slug).json()

    assert body["status"] == "draft" and body["round"] == latest.slug
    [target] = body["targets"]
    assert target["target_level"] == 4 and target["barrier"] == sector["dimensions"][0].name
    [action] = target["actions"]
    assert action["description"] == "Agree a data sharing protocol"
    assert action["owner"] == "Olivia Okafor" and action["status"] == "not_started"
    # Council B's token does not see A's plan.
    b_token = token_for(personas, personas.council_b)
    assert get(client, "api:plan", b_token, slug=latest.slug).status_code == 404
