"""A small sector for the dashboard tests (and the browser test of the dashboard)."""

from assessments.models import AgreedAnswer, AnswerStatus, Dimension, Question
from assessments.tests.factories import scored_assessment, small_framework, two_rounds
from benchmarks.models import PeerGroupKind
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from councils.tests.factories import CouncilFactory

from .factories import make_group


def build_sector(personas, settings) -> dict:
    """k = 3. Council A and B and six others, two rounds of one framework (two dimensions with
    three questions each). Groups A may see, all published but the last: its own neighbours (A
    and the last three others), the region (A, B and the first three others), the tier (all
    eight) and a rurality group of two (too small). B's neighbours contain A, but are B's
    alone."""
    settings.BENCHMARK_MIN_GROUP = 3
    framework = small_framework(dimensions=2, questions=3)
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("order"))
    earlier, latest = two_rounds(framework)
    a, b = personas.council_a, personas.council_b
    others = [CouncilFactory(name=f"Other Council {n}", short_name=f"Other{n}") for n in range(6)]
    everyone = [a, b, *others]
    latest_scores = {
        a: ("2.0", "4.0"),
        b: ("3.0", "3.0"),
        others[0]: ("1.0", "2.0"),
        others[1]: ("3.5", "3.5"),
        others[2]: ("4.0", "1.5"),
        others[3]: ("2.5", "2.5"),
        others[4]: ("5.0", "4.5"),
        others[5]: ("1.5", "3.0"),
    }
    for council, (first, second) in latest_scores.items():
        scored_assessment(
            council=council, round=latest, scores={dimensions[0]: first, dimensions[1]: second}
        )
    scored_assessment(council=a, round=earlier, scores={dimensions[0]: "1.5", dimensions[1]: "3.0"})
    groups = {
        "neighbours": make_group(
            "neighbours-a",
            PeerGroupKind.NEAREST_NEIGHBOURS,
            [a, *others[3:]],
            owner=a,
            name="Hartlepool and its nearest neighbours",
        ),
        "region": make_group("region-ne", PeerGroupKind.REGION, [a, b, *others[:3]]),
        "tier": make_group("tier-unitary", PeerGroupKind.TIER, everyone),
        "small": make_group("rurality-urban", PeerGroupKind.RURALITY, [a, others[5]]),
        "b-neighbours": make_group(
            "neighbours-b", PeerGroupKind.NEAREST_NEIGHBOURS, [b, a, *others[3:5]], owner=b
        ),
    }
    # A's agreed answers in the latest round: levels 1, 3, 5 in the first dimension.
    for question, level in zip(
        Question.objects.filter(dimension=dimensions[0]).order_by("order"), [3, 1, 5], strict=True
    ):
        assessment = a.assessments.get(round=latest)
        AgreedAnswer.objects.create(
            assessment=assessment, question=question, status=AnswerStatus.ANSWERED, level=level
        )
    for round_ in (earlier, latest):
        benchmarks_rebuild(round_id=round_.pk)
        release_make(round_id=round_.pk)
    return {"latest": latest, "earlier": earlier, "dimensions": dimensions, "groups": groups}
