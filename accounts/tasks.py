from celery import shared_task

from . import services


@shared_task
def send_invitation_email(invitation_id: int, nonce: str) -> bool:
    return services.invitation_send_email(invitation_id=invitation_id, nonce=nonce)


@shared_task
def purge_expired_invitations() -> int:
    return services.invitations_purge_expired()


@shared_task
def purge_sign_in_counters() -> int:
    return services.sign_in_counters_purge()


@shared_task
def purge_security_events() -> int:
    return services.security_events_purge()
