"""A broker that is down must never block or lose a sign-off (or an invitation)."""

import pytest
from django.core import mail

from accounts import services as account_services
from accounts.models import CouncilRole, Invitation
from assessments import services
from assessments.models import AssessmentStatus, DimensionScore
from assessments.tests.factories import AssessmentRoundFactory, submitted_assessment
from config.celery import app as celery_app


def _forget_connections() -> None:
    # Celery caches its connection and producer pools; drop them so the next send
    # connects to whatever broker_url says now.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Point Celery at a closed port, with real (not in-process) sending."""
    saved = (
        celery_app.conf.task_always_eager,
        celery_app.conf.broker_url,
        celery_app.conf.broker_connection_max_retries,
    )
    _forget_connections()
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app.conf.broker_connection_max_retries = 1
    try:
        yield
    finally:
        _forget_connections()
        (
            celery_app.conf.task_always_eager,
            celery_app.conf.broker_url,
            celery_app.conf.broker_connection_max_retries,
        ) = saved


def test_sign_off_is_recorded_when_the_broker_is_down(
    personas, broker_down, django_capture_on_commit_callbacks
):
    assessment = submitted_assessment(
        council=personas.council_a, round=AssessmentRoundFactory(), lead=personas.lead_a
    )
    # The queued rebuild fails to reach the broker after the commit; the sign-off stands.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assessment_sign_off(assessment=assessment, by=personas.executive_a)
    assert len(callbacks) == 1
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert DimensionScore.objects.filter(assessment=assessment).count() == 2


def test_an_invitation_stands_when_the_broker_is_down(
    personas, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = account_services.invitation_create(
            council=personas.council_a,
            email="new@hartlepool.example",
            role=CouncilRole.OFFICER,
            invited_by=personas.lead_a,
        )
    assert Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).exists()
    assert len(mail.outbox) == 0
