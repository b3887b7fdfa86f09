"""Secrets kept in the database, encrypted (Fernet: AES-128-CBC with an HMAC).

The key is FIELD_ENCRYPTION_KEY when set, else derived from SECRET_KEY, so rotating
SECRET_KEY alone makes stored secrets unreadable: set FIELD_ENCRYPTION_KEY in production
(README, "Single sign-on"). FIELD_ENCRYPTION_KEY_FALLBACKS still decrypt during a rotation.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret was encrypted with a key this portal no longer has."""


def _fernet_key(material: str) -> bytes:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal field encryption"
    ).derive(material.encode())
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    keys = [settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY]
    keys += list(settings.FIELD_ENCRYPTION_KEY_FALLBACKS)
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys if key])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable from None
