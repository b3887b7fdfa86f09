"""Words for an email, worked out in its reader's language.

The outbox renders every email inside `translation.override(recipient.language or
settings.LANGUAGE_CODE)` (`services.email_queue`). So the subject and the words a caller puts in
the context must still be unworked when they reach it: `gettext_lazy` strings, and for a
sentence with values, `lazy_format(_("... %(council)s ..."), council=name)`, which fills the
values in only when the email is rendered. A plain `gettext(...)` or `"..." % {...}` in the
caller would be fixed in the language of whoever caused the email (their request's), not the
reader's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import formats
from django.utils.functional import Promise, lazy

# What the portal writes a date as, "2 December 2026" ("2 Rhagfyr 2026"), as `|date:"j F Y"`.
DATE_FORMAT = "j F Y"


def _format(message: str | Promise, values: dict[str, Any]) -> str:
    return str(message) % values


def _date(value: datetime.date) -> str:
    return formats.date_format(value, DATE_FORMAT)


_format_lazy = lazy(_format, str)
_date_lazy = lazy(_date, str)


def lazy_format(message: str | Promise, **values: Any) -> Any:
    """`message % values`, translated and filled in when used, not now. Values may themselves
    be lazy (`lazy_date`, a `gettext_lazy` string, a framework name read then)."""
    return _format_lazy(message, values)


def lazy_date(value: datetime.date) -> Any:
    """The date as the portal writes it, in the language active when it is used."""
    return _date_lazy(value)
