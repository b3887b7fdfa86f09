import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse

from accounts.backends import PortalBackend
from accounts.models import NetworkMembership, User
from assessments.models import (
    AgreedAnswer,
    Answer,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    AuditEvent,
    DimensionScore,
    Response,
    ResponseStatus,
    RoundStatus,
)
from councils.models import Network, NetworkSharing, council_ids_named_in
from councils.tests.factories import CouncilFactory
from plans.models import Plan
from portal.context_processors import navigation
from portal.demo import DEMO_PASSWORD, demo_data_load


def _nav_labels(response):
    return [item["label"] for item in response.context["navigation"]]


def test_home_shows_each_persons_roles(client, personas):
    client.force_login(personas.lead_a)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Hartlepool Borough Council" in html
    assert "Assessment lead" in html
    assert "Manage team" in html
    assert "Middlesbrough" not in html


@pytest.mark.parametrize(
    "who, expected",
    [
        ("officer_a", ["Home", "Assessments", "Benchmarks", "Councils", "Your account"]),
        ("lead_a", ["Home", "Assessments", "Benchmarks", "Councils", "Your team", "Your account"]),
        ("executive_a", ["Home", "Assessments", "Benchmarks", "Councils", "Your account"]),
        ("analyst", ["Home", "Councils", "Networks", "Your account"]),
        ("staff", ["Home", "Councils", "Administration", "Your account"]),
    ],
)
def test_navigation_follows_roles(client, personas, who, expected):
    client.force_login(getattr(personas, who))
    response = client.get(reverse("portal:home"))
    assert _nav_labels(response) == expected
    assert response.context["navigation"][0]["active"] is True


@pytest.mark.parametrize("who", ["officer_a", "lead_a", "analyst", "staff"])
def test_the_navigation_reads_the_roles_loaded_with_the_person(
    rf, personas, who, django_assert_num_queries
):
    """The person each request loads carries the kinds of role the navigation needs, so the
    navigation asks nothing more; one loaded any other way gets the same answer by asking."""
    person = getattr(personas, who)
    loaded = PortalBackend().get_user(person.pk)
    request = rf.get(reverse("portal:home"))
    request.user = loaded
    with django_assert_num_queries(0):
        items = navigation(request)["navigation"]
    request.user = User.objects.get(pk=person.pk)
    with django_assert_num_queries(1):
        assert navigation(request)["navigation"] == items


def test_role_kinds_follow_memberships(personas):
    kinds = {
        who: User.objects.with_role_kinds()
        .values_list("holds_council_role", "leads_a_council", "analyses_a_network")
        .get(pk=getattr(personas, who).pk)
        for who in ("officer_a", "lead_a", "executive_a", "analyst", "staff")
    }
    assert kinds == {
        "officer_a": (True, False, False),
        "lead_a": (True, True, False),
        "executive_a": (True, False, False),
        "analyst": (False, False, True),
        "staff": (False, False, False),
    }


def test_a_deactivated_person_is_not_loaded(personas):
    personas.officer_a.is_active = False
    personas.officer_a.save()
    assert PortalBackend().get_user(personas.officer_a.pk) is None
    assert PortalBackend().get_user(0) is None


def test_home_page_query_count_is_bounded(client, personas, django_assert_max_num_queries):
    client.force_login(personas.lead_a)
    with django_assert_max_num_queries(10):
        client.get(reverse("portal:home"))


def test_anonymous_home_goes_to_sign_in(client, db):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_demo_data_is_idempotent_and_prints_one_login_per_role(db, capsys):
    CouncilFactory(gss_code="E06000001", short_name="Hartlepool", region="North East")
    CouncilFactory(gss_code="E06000002", short_name="Middlesbrough", region="North East")
    CouncilFactory(gss_code="W06000002", short_name="Gwynedd", region="Wales")
    call_command("import_framework")
    call_command("load_demo_data")
    counts = (Assessment.objects.count(), AgreedAnswer.objects.count(), Answer.objects.count())
    call_command("load_demo_data")
    assert (
        Assessment.objects.count(),
        AgreedAnswer.objects.count(),
        Answer.objects.count(),
    ) == counts
    out = capsys.readouterr().out
    for email in [
        "officer@hartlepool.example",
        "lead@hartlepool.example",
        "chief.executive@hartlepool.example",
        "officer@middlesbrough.example",
        "swyddog@gwynedd.example",
        "arweinydd@gwynedd.example",
        "prif.weithredwr@gwynedd.example",
        "analyst@north-east.example",
        "admin@portal.example",
    ]:
        assert email in out
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in out
    # Gwynedd's three chose Cymraeg and have the open round started.
    assert set(User.objects.filter(language="cy").values_list("email", flat=True)) == {
        "swyddog@gwynedd.example",
        "arweinydd@gwynedd.example",
        "prif.weithredwr@gwynedd.example",
    }
    # Nine demo people, and two demo colleagues at the demo council who cannot sign in.
    assert User.objects.filter(~Q(password__startswith="!")).count() == 9
    assert User.objects.count() == 11
    assert NetworkMembership.objects.count() == 1
    rounds = AssessmentRound.objects.filter(is_demo=True)
    assert rounds.count() == 3
    assert all("demonstration" in name for name in rounds.values_list("name_en", flat=True))
    current = rounds.get(status=RoundStatus.OPEN)
    hartlepool = Assessment.objects.get(round=current, council__gss_code="E06000001")
    assert hartlepool.status == AssessmentStatus.IN_PROGRESS
    assert hartlepool.responses.filter(status=ResponseStatus.SUBMITTED).count() == 2
    gwynedd = Assessment.objects.get(round=current, council__gss_code="W06000002")
    assert gwynedd.status == AssessmentStatus.IN_PROGRESS


def test_demo_data_is_the_same_on_every_machine(db):
    CouncilFactory(gss_code="E06000001", short_name="Hartlepool", region="North East")
    CouncilFactory(gss_code="E06000002", short_name="Middlesbrough", region="North East")
    CouncilFactory(gss_code="W06000002", short_name="Gwynedd", region="Wales")
    call_command("import_framework")
    call_command("load_demo_data")
    first = sorted(DimensionScore.objects.values_list("council_id", "dimension__code", "score"))
    plans = list(
        Plan.objects.values_list("council_id", "targets__target_level", "targets__outcome")
    )
    assert plans and all(outcome for *_, outcome in plans)
    for model in (Plan, DimensionScore, AgreedAnswer, Answer, Response, Assessment, AuditEvent):
        model.objects.all().delete()
    AssessmentRound.objects.all().delete()
    call_command("load_demo_data")
    second = sorted(DimensionScore.objects.values_list("council_id", "dimension__code", "score"))
    assert first and first == second
    assert plans == list(
        Plan.objects.values_list("council_id", "targets__target_level", "targets__outcome")
    )


def test_demo_data_needs_the_register(db):
    with pytest.raises(CommandError, match="import_councils"):
        call_command("load_demo_data")


def test_demo_data_refuses_in_production(db, settings):
    settings.DJANGO_ENV = "production"
    with pytest.raises(Exception, match="never in production"):
        demo_data_load()


@pytest.mark.parametrize("name", ["core:accessibility", "core:privacy", "core:about-data"])
def test_public_pages_need_no_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"govuk-footer" in response.content


def test_unknown_page_is_a_govuk_404(client, personas):
    client.force_login(personas.officer_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_security_headers(client, db):
    response = client.get(reverse("accounts:sign-in"))
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "who, url_name, args, section",
    [
        ("lead_a", "accounts:team", ["E06000001"], "Your team"),
        ("lead_a", "councils:detail", ["E06000001"], "Councils"),
        ("officer_a", "accounts:password-change", [], "Your account"),
        ("analyst", "councils:networks", [], "Networks"),
        ("executive_a", "benchmarks:council", ["E06000001"], "Benchmarks"),
    ],
)
def test_navigation_marks_the_current_section(client, personas, who, url_name, args, section):
    client.force_login(getattr(personas, who))
    response = client.get(reverse(url_name, args=args))
    active = [item["label"] for item in response.context["navigation"] if item["active"]]
    assert active == [section]


def test_the_demo_council_has_results_from_past_rounds(db):
    CouncilFactory(gss_code="E06000001", short_name="Hartlepool", region="North East")
    CouncilFactory(gss_code="E06000002", short_name="Middlesbrough", region="North East")
    CouncilFactory(gss_code="W06000002", short_name="Gwynedd", region="Wales")
    call_command("import_framework")
    call_command("load_demo_data")
    signed_off = Assessment.objects.filter(
        council__gss_code="E06000001", status=AssessmentStatus.SIGNED_OFF
    )
    assert set(signed_off.values_list("round__status", flat=True)) == {RoundStatus.CLOSED}
    assert signed_off.count() == 2
    assert DimensionScore.objects.filter(assessment__in=signed_off).count() == 2 * 9


def test_demo_network_members_other_than_the_demo_councils_share_by_name(db):
    a = CouncilFactory(gss_code="E06000001", short_name="Hartlepool", region="North East")
    b = CouncilFactory(gss_code="E06000002", short_name="Middlesbrough", region="North East")
    CouncilFactory(gss_code="W06000002", short_name="Gwynedd", region="Wales")
    others = [CouncilFactory(gss_code=f"E0800002{n}", region="North East") for n in range(7)]
    call_command("import_framework")
    call_command("load_demo_data")
    call_command("load_demo_data")

    network = Network.objects.get(slug="north-east-digital-partnership")
    named = council_ids_named_in(network)
    # Five by name; Hartlepool keeps the default, so the demo lead can try the choice.
    assert named == {c.pk for c in sorted(others, key=lambda c: c.gss_code)[:5]}
    assert a.pk not in named and b.pk not in named
    assert NetworkSharing.objects.count() == 5
