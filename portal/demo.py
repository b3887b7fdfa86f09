"""Demo people for a local portal: one sign-in per role, on real councils from the register."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Case, When

from accounts.models import CouncilMembership, CouncilRole, NetworkMembership, User
from assessments.demo import demo_assessments_load
from assessments.models import AssessmentRound, DimensionScore, RoundStatus
from assessments.scoring import level_band
from assessments.services import assessment_start
from benchmarks.dashboard import council_dashboard
from benchmarks.peer_groups import peer_groups_build
from benchmarks.releases import releases_make_due
from benchmarks.services import benchmarks_reconcile
from councils.models import Council, Network, NetworkSharing
from plans.demo import demo_plan_load
from plans.models import SharingOffer

DEMO_PASSWORD = "portal-demo-2026"
COUNCIL_A = "E06000001"  # Hartlepool
COUNCIL_B = "E06000002"  # Middlesbrough
# A Welsh council whose people chose Cymraeg, so the whole journey can be tried in Welsh.
COUNCIL_WELSH = "W06000002"  # Gwynedd
NETWORK_REGION = "North East"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str


@dataclass(frozen=True)
class DemoData:
    logins: list[DemoLogin]
    summary: str


def demo_data_load() -> DemoData:
    """Create or refresh the demo people and assessments. Safe to run again; not in production."""
    if settings.DJANGO_ENV == "production":
        raise ImproperlyConfigured("Demo data is for local use only, never in production.")
    try:
        council_a = Council.objects.get(gss_code=COUNCIL_A)
        council_b = Council.objects.get(gss_code=COUNCIL_B)
        council_welsh = Council.objects.get(gss_code=COUNCIL_WELSH)
    except Council.DoesNotExist as error:
        raise ImproperlyConfigured(
            "Import the council register first: manage.py import_councils"
        ) from error

    logins: list[DemoLogin] = []
    people: dict[str, User] = {}
    with transaction.atomic():
        network, _ = Network.objects.update_or_create(
            slug="north-east-digital-partnership",
            defaults={
                "name": "North East Digital Partnership",
                "description": "Demo network: the councils of the North East region.",
            },
        )
        network.members.set(Council.objects.filter(region=NETWORK_REGION))
        # Five members share their results with the network by name; Hartlepool and the rest
        # keep the default (anonymous figures only), so the demo lead can try the choice.
        named = (
            Council.objects.filter(region=NETWORK_REGION)
            .exclude(pk__in=[council_a.pk, council_b.pk])
            .order_by("gss_code")[:5]
        )
        for council in named:
            NetworkSharing.objects.update_or_create(
                council=council, network=network, defaults={"by_name": True}
            )

        def person(email: str, name: str, **extra: bool | str) -> User:
            user, _ = User.objects.update_or_create(
                email=email, defaults={"full_name": name, "is_active": True, **extra}
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            return user

        for council, role, email, name in [
            (council_a, CouncilRole.OFFICER, "officer@hartlepool.example", "Olu Officer"),
            (council_a, CouncilRole.LEAD, "lead@hartlepool.example", "Lee Lead"),
            (council_a, CouncilRole.EXECUTIVE, "chief.executive@hartlepool.example", "Cara Chief"),
            (council_b, CouncilRole.OFFICER, "officer@middlesbrough.example", "Mo Officer"),
        ]:
            user = person(email, name)
            if council == council_a:
                people[role] = user
            CouncilMembership.objects.update_or_create(
                user=user, council=council, defaults={"role": role}
            )
            label = f"{CouncilRole(role).label} of {council.short_name}"
            logins.append(DemoLogin(label, email))

        welsh_people = {}
        for role, email, name in [
            (CouncilRole.OFFICER, "swyddog@gwynedd.example", "Siân Swyddog"),
            (CouncilRole.LEAD, "arweinydd@gwynedd.example", "Llinos Arweinydd"),
            (CouncilRole.EXECUTIVE, "prif.weithredwr@gwynedd.example", "Prys Prif"),
        ]:
            welsh_people[role] = person(email, name, language="cy")
            CouncilMembership.objects.update_or_create(
                user=welsh_people[role], council=council_welsh, defaults={"role": role}
            )
            label = f"{CouncilRole(role).label} of {council_welsh.short_name}, in Welsh"
            logins.append(DemoLogin(label, email))

        analyst = person("analyst@north-east.example", "Ana Analyst")
        NetworkMembership.objects.get_or_create(user=analyst, network=network)
        logins.append(DemoLogin(f"Network analyst for {network.name}", analyst.email))

        person("admin@portal.example", "Sam Staff", is_staff=True, is_superuser=True)
        logins.append(DemoLogin("Platform administrator (staff)", "admin@portal.example"))
        summary = demo_assessments_load(
            lead=people[CouncilRole.LEAD],
            officer=people[CouncilRole.OFFICER],
            executive=people[CouncilRole.EXECUTIVE],
        )
        # Gwynedd's people start the open round's assessment in Welsh, from the first answer.
        current = AssessmentRound.objects.filter(is_demo=True, status=RoundStatus.OPEN).first()
        if current is not None:
            assessment_start(
                council=council_welsh, round=current, by=welsh_people[CouncilRole.LEAD]
            )
    # Peer groups follow the register and networks; benchmarks follow the signed-off scores.
    peer_groups_build()
    # Rebuilds only the rounds whose scores or groups changed, so a re-run is quick.
    benchmarks_reconcile()
    # Pages show released figures only: release now, as the daily job does after the
    # reconcile (a round with nothing new gets no new release, so a re-run changes nothing).
    releases_make_due()
    # The plan aims at the top priority the dashboard shows, which needs the releases above.
    priority = _top_priority(council_a)
    summary += " " + demo_plan_load(
        council=council_a,
        lead=people[CouncilRole.LEAD],
        officer=people[CouncilRole.OFFICER],
        executive=people[CouncilRole.EXECUTIVE],
        priority_code=priority,
    )
    summary += " " + _demo_offers(council_a, priority)
    return DemoData(logins=logins, summary=summary)


def _top_priority(council: Council) -> str:
    """The barrier furthest below the council's comparison group on its dashboard; without
    group figures, its lowest-scoring barrier."""
    dashboard = council_dashboard(council)
    if dashboard.priorities:
        return dashboard.priorities[0].subject.code
    scored = [s for s in dashboard.dimensions if s.score is not None]
    return min(scored, key=lambda s: s.score or 0).code


def _demo_offers(council: Council, code: str) -> str:
    """Two councils that climbed `code` offer to say how, so the home council's dashboard lists
    them. Chosen as the dashboard would rank them; made once."""
    if SharingOffer.objects.filter(dimension_code=code).exclude(council=council).exists():
        return "Demonstration offers to share are already loaded."
    bands: dict[int, list[int | None]] = {}
    for council_id, score in (
        DimensionScore.objects.signed_off()
        .filter(dimension__code=code, round__is_demo=True)
        .exclude(council=council)
        .order_by("council_id", "-round__opens_on")
        .values_list("council_id", "score")
    ):
        bands.setdefault(council_id, []).append(level_band(score))
    risen = [
        council_id
        for council_id, found in bands.items()
        if len(found) >= 2 and found[0] is not None and found[1] is not None and found[0] > found[1]
    ]
    chosen = list(
        Council.objects.filter(pk__in=risen).order_by(
            # Same region first, as the dashboard ranks them after neighbours.
            Case(When(region=council.region, then=0), default=1),
            "name_en",
        )[:2]
    )
    for other in chosen:
        SharingOffer.objects.create(
            council=other,
            dimension_code=code,
            contact_name="Digital transformation team",
            contact_email=f"digital@{other.gss_code.lower()}.example",
            note="Demonstration offer: we raised this barrier by a level in a year.",
        )
    return f"{len(chosen)} councils offer to share how they improved in {code}."
