"""Sessions in the database, read through the cache, but only for a key Django could have made.

Django's cached_db engine: every page reads the session from the cache (Redis in production,
shared by every web process) and only falls back to the database when the cache has lost it;
every save goes to both. It saves a query on every signed-in page.

The session cookie is whatever the browser sends: Django looks any key of eight characters
or more up in the database, so a cookie holding a NUL character (a quoted cookie may spell
one "\\000") made every page a 500 on PostgreSQL, which refuses a NUL in any text. A key
that is not one Django makes is no session at all, like an unknown or expired one.
"""

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

# Django makes keys of 32 characters; it accepts 8 or more, and the column holds 40.
_KEY_LENGTHS = range(8, 41)


class SessionStore(cached_db.SessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return (
            key is not None
            and len(key) in _KEY_LENGTHS
            and all(character in VALID_KEY_CHARS for character in key)
        )
