"""A broker that is down must never block or lose a sign-off (or an invitation)."""

import pytest
from django.core import mail

from accounts import services as account_services
from accounts.models import CouncilRole, Invitation
from assessments import services
from assessments.models import AssessmentStatus, DimensionScore
from assessments.tests.factories import AssessmentRoundFactory, submitted_assessment
from config.celery import app as celery_app
from notifications.models import OutboxEmail, OutboxStatus
from notifications.services import outbox_drain


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
    # The queued rebuild and emails fail to reach the broker after the commit; the sign-off
    # stands, and so do its emails, still waiting in the outbox.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assessment_sign_off(assessment=assessment, by=personas.executive_a)
    assert len(callbacks) == 1 + 3
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert DimensionScore.objects.filter(assessment=assessment).count() == 2
    signed_off = OutboxEmail.objects.filter(key__startswith="signed-off:")
    assert signed_off.filter(status=OutboxStatus.QUEUED).count() == 3


def test_emails_queued_while_the_broker_was_down_are_sent_once_it_is_back(
    personas, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_DRAIN_AFTER = 0
    assessment = submitted_assessment(
        council=personas.council_a, round=AssessmentRoundFactory(), lead=personas.lead_a
    )
    # The submission's email went out at the time (this test never commits, so mark it).
    OutboxEmail.objects.update(status=OutboxStatus.SENT)
    saved = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    _forget_connections()
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app.conf.broker_connection_max_retries = 1
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.assessment_sign_off(assessment=assessment, by=personas.executive_a)
    finally:
        _forget_connections()
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
    assert OutboxEmail.objects.filter(status=OutboxStatus.QUEUED).count() == 3
    smtp_server.messages.clear()

    # The broker is back: the every-minute drain sends each of them, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_drain() == 3
    assert outbox_drain() == 0
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [
        "ceo.a@hartlepool.example",
        "lead.a@hartlepool.example",
        "officer.a@hartlepool.example",
    ]


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
