"""`make bench`: time the main pages and count their queries, on a throwaway database.

Figures only: nothing here passes or fails. Tests never assert on time.
"""

import datetime
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment
from django.urls import reverse

from accounts.models import CouncilMembership, CouncilRole, User
from assessments import services
from assessments.framework_import import framework_import
from assessments.models import AnswerStatus, AssessmentRound, Dimension, RoundStatus
from councils.register import DEFAULT_CSV_PATH, councils_import
from plans import services as plan_services

FRAMEWORK_DIR = Path(__file__).resolve().parents[3] / "assessments" / "framework"


class Command(BaseCommand):
    help = "Print response times and query counts for the main pages (throwaway database)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=50)

    def handle(self, *args, repeat: int, **options) -> None:
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            self._run(repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def _run(self, repeat: int) -> None:
        started = time.perf_counter()
        result = councils_import(path=DEFAULT_CSV_PATH)
        self.stdout.write(
            f"import_councils, empty database: {time.perf_counter() - started:.2f} s "
            f"({result.created} created)"
        )
        started = time.perf_counter()
        councils_import(path=DEFAULT_CSV_PATH)
        self.stdout.write(f"import_councils, re-run:        {time.perf_counter() - started:.2f} s")

        user = User.objects.create_user("bench@example.com", "bench-password-123")
        council = CouncilMembership.objects.create(
            user=user, council_id=1, role=CouncilRole.LEAD
        ).council
        framework = framework_import(path=sorted(FRAMEWORK_DIR.glob("*.yaml"))[-1]).framework
        round_ = AssessmentRound.objects.create(
            name_en="Bench round",
            slug="bench-round",
            framework=framework,
            opens_on=datetime.date(2026, 4, 1),
            closes_on=datetime.date(2027, 3, 31),
            status=RoundStatus.OPEN,
        )
        assessment = services.assessment_start(council=council, round=round_, by=user)
        client = Client()
        client.force_login(user)
        started = time.perf_counter()
        client.post(
            reverse("assessments:dimension", args=[assessment.pk, "LEAD"]),
            {f"q{q.pk}-answer": "3" for q in framework.questions.filter(dimension__code="LEAD")},
        )
        self.stdout.write(
            f"saving a page of 6 answers:     {(time.perf_counter() - started) * 1000:.0f} ms"
        )
        plan_url = self._plan(council, framework, user)
        dimension_url = reverse("assessments:dimension", args=[assessment.pk, "DATA"])
        pages = [
            ("/healthz", reverse("core:healthz")),
            ("home", reverse("portal:home")),
            ("council directory, page 1", reverse("councils:directory")),
            ("directory, search 'borough'", reverse("councils:directory") + "?q=borough"),
            ("council page", reverse("councils:detail", args=[council.gss_code])),
            ("team page", reverse("accounts:team", args=[council.gss_code])),
            ("assessment task list", reverse("assessments:overview", args=[assessment.pk])),
            ("answer a barrier (6 questions)", dimension_url),
            (
                "agree a barrier (lead)",
                reverse("assessments:agree-dimension", args=[assessment.pk, "LEAD"]),
            ),
            ("check your answers", reverse("assessments:check-answers", args=[assessment.pk])),
            ("plan: 9 targets, 45 actions", plan_url),
            ("plan, filtered to blocked", plan_url + "?status=blocked"),
            ("plan history (first 100)", plan_url + "history/"),
            ("plan as CSV", plan_url + "plan.csv"),
        ]
        self.stdout.write(f"\n{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        connection.force_debug_cursor = True
        for label, url in pages:
            timings = []
            for _ in range(repeat):
                reset_queries()
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            queries = len(connection.queries)
            p95 = statistics.quantiles(timings, n=20)[-1]
            median = statistics.median(timings)
            self.stdout.write(f"{label:32} {median:10.1f} {p95:8.1f} {queries:8d}")
        connection.force_debug_cursor = False
        self.stdout.write(f"\n{repeat} requests a page, Django test client, {connection.vendor}.")

    def _plan(self, council, framework, lead: User) -> str:
        """A signed-off earlier round with a plan of a target in every barrier, five actions
        each and three progress updates on every action; returns the plan page's address."""
        executive = User.objects.create_user("bench.ceo@example.com", "bench-password-123")
        CouncilMembership.objects.create(
            user=executive, council=council, role=CouncilRole.EXECUTIVE
        )
        earlier = AssessmentRound.objects.create(
            name_en="Bench earlier round",
            slug="bench-earlier",
            framework=framework,
            opens_on=datetime.date(2025, 4, 1),
            closes_on=datetime.date(2026, 3, 31),
            status=RoundStatus.OPEN,
        )
        signed = services.assessment_start(council=council, round=earlier, by=lead)
        services.agreed_answers_save(
            assessment=signed,
            answers={
                q.pk: services.AgreedInput(AnswerStatus.ANSWERED, 2, "", 0)
                for q in framework.questions.all()
            },
            by=lead,
        )
        services.assessment_submit(assessment=signed, by=lead)
        services.assessment_sign_off(assessment=signed, by=executive)
        today = datetime.date(2025, 6, 1)
        for dimension in Dimension.objects.for_framework(framework):
            target = plan_services.target_add(
                assessment=signed,
                by=lead,
                dimension=dimension,
                question=None,
                values=plan_services.TargetInput(3, None, datetime.date(2026, 6, 1)),
                first_action=None,
                today=today,
            )
            for n in range(5):
                action = plan_services.action_add(
                    target=target,
                    by=lead,
                    values=plan_services.ActionInput(
                        f"Action {n} for {dimension.name}", lead, "", datetime.date(2025, 9, n + 1)
                    ),
                    today=today,
                )
                for version, status in enumerate(("in_progress", "blocked", "in_progress"), 1):
                    plan_services.action_progress(
                        action=action,
                        by=lead,
                        status=status,
                        blocked_reason="Waiting" if status == "blocked" else "",
                        note=f"Update {version}",
                        expected_version=version,
                    )
        return reverse("plans:plan", args=[council.gss_code, earlier.slug])
