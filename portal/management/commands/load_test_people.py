"""The people the load test (`.ci/load`, `tools/loadtest.py`) signs in as, on top of the demo data.

Officers (`load-officer-NN@load.example`) are officers of councils whose assessment in the
demo's open round is in progress, spread over a few of them, Hartlepool first; anyone with the
officer role at the council may open and save any barrier page (no parts need assigning).
Chief executives (`load-executive-NN@load.example`) are members of councils whose dashboard
shows published figures in at least two groups, so they can switch between groups.

Idempotent: people, memberships and assessments are made once and reused. Writes who signs in
as what, with the pages each uses, as JSON to the path given:

    manage.py load_test_people /tmp/people.json --officers 40 --executives 10
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from accounts.models import CouncilMembership, CouncilRole, User
from assessments import services as assessment_services
from assessments.demo import ROUNDS
from assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    Dimension,
    RoundStatus,
)
from benchmarks.dashboard import council_dashboard
from councils.models import Council
from portal.demo import COUNCIL_A

PASSWORD = "load-test-portal-2026"
DOMAIN = "load.example"


def _person(email: str, name: str) -> User:
    user, _ = User.objects.update_or_create(
        email=email, defaults={"full_name": name, "is_active": True}
    )
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _member(user: User, council: Council, role: str) -> None:
    """This person's only membership: the given role at the given council."""
    CouncilMembership.objects.filter(user=user).exclude(council=council).delete()
    CouncilMembership.objects.update_or_create(user=user, council=council, defaults={"role": role})


def _councils(people: list[dict[str, Any]]) -> str:
    return ", ".join(sorted({p["council"] for p in people})) or "none"


class Command(BaseCommand):
    help = "Create the load test's officers and chief executives (local use only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="Where to write the people, as JSON.")
        parser.add_argument("--officers", type=int, default=40)
        parser.add_argument("--executives", type=int, default=10)
        parser.add_argument(
            "--officer-councils", type=int, default=4, help="Councils the officers spread over."
        )
        parser.add_argument(
            "--executive-councils",
            type=int,
            default=5,
            help="Councils the chief executives spread over.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DJANGO_ENV == "production":
            raise CommandError("Load test people have a known password: never in production.")
        round_ = AssessmentRound.objects.filter(
            slug=ROUNDS[-1].slug, status=RoundStatus.OPEN
        ).first()
        if round_ is None:
            raise CommandError("Load the demo data first: manage.py load_demo_data")
        with transaction.atomic():
            officers = self._officers(round_, options["officers"], options["officer_councils"])
        executives = self._executives(options["executives"], options["executive_councils"])
        people = {"password": PASSWORD, "officers": officers, "executives": executives}
        Path(options["output"]).write_text(json.dumps(people, indent=2) + "\n")
        self.stdout.write(
            f"{len(officers)} officers at {_councils(officers)}; {len(executives)} chief "
            f"executives at {_councils(executives)}."
        )

    def _officer_councils(self, round_: AssessmentRound, wanted: int) -> list[Council]:
        """Councils whose assessment in the round is in progress, Hartlepool first; if there
        are not enough, councils with none yet (an officer starts theirs)."""
        in_progress = list(
            Council.objects.filter(
                assessments__round=round_, assessments__status=AssessmentStatus.IN_PROGRESS
            ).order_by("gss_code")
        )
        in_progress.sort(key=lambda council: council.gss_code != COUNCIL_A)
        chosen = in_progress[:wanted]
        if len(chosen) < wanted:
            chosen += list(
                Council.objects.exclude(assessments__round=round_).order_by("gss_code")[
                    : wanted - len(chosen)
                ]
            )
        return chosen

    def _officers(self, round_: AssessmentRound, count: int, spread: int) -> list[dict[str, Any]]:
        councils = self._officer_councils(round_, max(1, spread))
        dimensions = list(Dimension.objects.for_framework(round_.framework_id))
        officers = []
        for number in range(1, count + 1):
            council = councils[(number - 1) % len(councils)]
            user = _person(f"load-officer-{number:02d}@{DOMAIN}", f"Load Officer {number:02d}")
            _member(user, council, CouncilRole.OFFICER)
            assessment = Assessment.objects.filter(council=council, round=round_).first()
            if assessment is None:
                assessment = assessment_services.assessment_start(
                    council=council, round=round_, by=user
                )
            officers.append(
                {
                    "email": user.email,
                    "role": "officer",
                    "council": council.gss_code,
                    "overview_url": reverse("assessments:overview", args=[assessment.pk]),
                    "barrier_urls": [
                        reverse("assessments:dimension", args=[assessment.pk, d.code])
                        for d in dimensions
                    ],
                }
            )
        return officers

    def _executive_councils(self, wanted: int) -> list[tuple[Council, str, list[str]]]:
        """(council, the dashboard's default group, other groups with published figures) for
        councils whose dashboard shows figures in at least two groups, Hartlepool first."""
        councils = list(
            Council.objects.filter(assessments__status=AssessmentStatus.SIGNED_OFF)
            .distinct()
            .order_by("gss_code")
        )
        councils.sort(key=lambda council: council.gss_code != COUNCIL_A)
        chosen = []
        for council in councils:
            dashboard = council_dashboard(council)
            if dashboard.group is None or not dashboard.group_published:
                continue
            others = [
                g.slug
                for g in dashboard.groups
                if g.slug != dashboard.group.slug and g.overall is not None and g.overall.published
            ]
            if others:
                chosen.append((council, dashboard.group.slug, others))
            if len(chosen) == wanted:
                break
        if not chosen:
            raise CommandError("No council's dashboard shows figures: load the demo data first.")
        return chosen

    def _executives(self, count: int, spread: int) -> list[dict[str, Any]]:
        councils = self._executive_councils(max(1, spread))
        executives = []
        with transaction.atomic():
            for number in range(1, count + 1):
                council, group, others = councils[(number - 1) % len(councils)]
                user = _person(
                    f"load-executive-{number:02d}@{DOMAIN}", f"Load Executive {number:02d}"
                )
                _member(user, council, CouncilRole.EXECUTIVE)
                executives.append(
                    {
                        "email": user.email,
                        "role": "executive",
                        "council": council.gss_code,
                        "dashboard_url": reverse("benchmarks:council", args=[council.gss_code]),
                        "default_group": group,
                        "group_slugs": others,
                    }
                )
        return executives
