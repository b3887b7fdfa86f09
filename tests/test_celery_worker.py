"""A real Celery worker, fed through Redis, sends an invitation email from the test database."""

import pytest

from accounts.tests.factories import InvitationFactory

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("transactional_db")]


def test_worker_sends_invitation_email_once(worker, personas):
    from accounts.tasks import send_invitation_email

    mail_dir = worker
    invitation = InvitationFactory(
        council=personas.council_a, email="new.officer@hartlepool.example"
    )
    assert invitation.sent_at is None

    try:
        sent = send_invitation_email.delay(invitation.pk, invitation.nonce).get(timeout=60)
        assert sent is True

        messages = [path.read_text() for path in mail_dir.iterdir()]
        assert len(messages) == 1, f"expected one email file in {mail_dir}"
        assert "new.officer@hartlepool.example" in messages[0]
        assert "/invitations/" in messages[0]
        invitation.refresh_from_db()
        assert invitation.sent_at is not None

        # Idempotent: the same job again sends nothing.
        again = send_invitation_email.delay(invitation.pk, invitation.nonce).get(timeout=60)
        assert again is False
        assert len(list(mail_dir.iterdir())) == 1
    except BaseException:
        log = mail_dir.parent / "worker-1.log"
        print(f"---- Celery worker output ({log}) ----")
        print(log.read_text(errors="replace"))
        raise
