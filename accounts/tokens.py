"""The signed token in an invitation link.

The token names the invitation and its current nonce. It is signed with SECRET_KEY so it
cannot be forged, and the nonce changes on every resend, so only the newest link works.
Single use and expiry are enforced against the database row, not the token.
"""

from django.core import signing

_SALT = "accounts.invitation"


def make_invitation_token(invitation_id: int, nonce: str) -> str:
    return signing.Signer(salt=_SALT).sign_object({"i": invitation_id, "n": nonce})


def read_invitation_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
        return int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
