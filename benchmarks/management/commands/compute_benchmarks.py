from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.models import AssessmentRound
from benchmarks.models import BenchmarkResult, PeerGroup
from benchmarks.services import benchmarks_rebuild, benchmarks_reconcile


class Command(BaseCommand):
    help = (
        "With --round, recompute that round's benchmark results from its signed-off scores, "
        "replacing the old ones. Without it, reconcile: rebuild every round whose inputs "
        "changed since its results were computed (what the nightly job does). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--round", dest="round_ref", metavar="ID_OR_SLUG", help="the round's id or slug"
        )

    def handle(self, *args: Any, round_ref: str | None = None, **options: Any) -> None:
        if not PeerGroup.objects.exists():
            self.stderr.write("There are no peer groups yet: run build_peer_groups first.")
        if round_ref is None:
            rebuilt = benchmarks_reconcile()
            if rebuilt:
                self.stdout.write("Rebuilt the rounds whose inputs had changed:")
            else:
                self.stdout.write("Every round's results match its inputs: nothing to do.")
            rounds = AssessmentRound.objects.in_bulk(rebuilt)
            for round_id in rebuilt:
                count = BenchmarkResult.objects.filter(round_id=round_id).count()
                self.stdout.write(f"{rounds[round_id]}: {count} results.")
        else:
            assessment_round = _find_round(round_ref)
            rows = benchmarks_rebuild(round_id=assessment_round.pk)
            self.stdout.write(f"{assessment_round}: {rows} results.")
            rebuilt = [assessment_round.pk]
        plural = "" if len(rebuilt) == 1 else "s"
        self.stdout.write(
            self.style.SUCCESS(f"Computed benchmarks for {len(rebuilt)} round{plural}.")
        )


def _find_round(ref: str) -> AssessmentRound:
    found = AssessmentRound.objects.filter(slug=ref).first()
    if found is None and ref.isdigit():
        found = AssessmentRound.objects.filter(pk=int(ref)).first()
    if found is None:
        raise CommandError(f'There is no round with the id or slug "{ref}".')
    return found
