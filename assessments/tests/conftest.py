import pytest

from assessments import services
from assessments.models import Assessment, AssessmentRound
from assessments.tests.factories import AssessmentRoundFactory


@pytest.fixture
def round_(db) -> AssessmentRound:
    """An open round on a small framework: two dimensions of three questions."""
    return AssessmentRoundFactory()


@pytest.fixture
def assessment(personas, round_) -> Assessment:
    """Council A's assessment in that round, started by its lead."""
    return services.assessment_start(council=personas.council_a, round=round_, by=personas.lead_a)
