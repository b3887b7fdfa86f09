from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.models import AssessmentRound, AssessmentStatus
from benchmarks.models import PeerGroup
from benchmarks.services import benchmarks_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the benchmark results of a round from its signed-off scores, replacing the "
        "old ones. Without --round, every round with a signed-off assessment. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--round", dest="round_ref", metavar="ID_OR_SLUG", help="the round's id or slug"
        )

    def handle(self, *args: Any, round_ref: str | None = None, **options: Any) -> None:
        if round_ref is None:
            rounds = list(
                AssessmentRound.objects.filter(assessments__status=AssessmentStatus.SIGNED_OFF)
                .distinct()
                .order_by("opens_on")
            )
        else:
            rounds = [_find_round(round_ref)]
        if not PeerGroup.objects.exists():
            self.stderr.write("There are no peer groups yet: run build_peer_groups first.")
        for assessment_round in rounds:
            rows = benchmarks_rebuild(round_id=assessment_round.pk)
            self.stdout.write(f"{assessment_round}: {rows} results.")
        plural = "" if len(rounds) == 1 else "s"
        self.stdout.write(
            self.style.SUCCESS(f"Computed benchmarks for {len(rounds)} round{plural}.")
        )


def _find_round(ref: str) -> AssessmentRound:
    found = AssessmentRound.objects.filter(slug=ref).first()
    if found is None and ref.isdigit():
        found = AssessmentRound.objects.filter(pk=int(ref)).first()
    if found is None:
        raise CommandError(f'There is no round with the id or slug "{ref}".')
    return found
