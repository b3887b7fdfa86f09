"""Sessions in the database, as Django keeps them, but only for a key Django could have made.

The session cookie is whatever the browser sends: Django looks any key of eight characters
or more up in the database, so a cookie holding a NUL character (a quoted cookie may spell
one "\\000") made every page a 500 on PostgreSQL, which refuses a NUL in any text. A key
that is not one Django makes is no session at all, like an unknown or expired one.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

# Django makes keys of 32 characters; it accepts 8 or more, and the column holds 40.
_KEY_LENGTHS = range(8, 41)


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return (
            key is not None
            and len(key) in _KEY_LENGTHS
            and all(character in VALID_KEY_CHARS for character in key)
        )
