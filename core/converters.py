"""Path converters that bound every identifier a URL can carry.

Django's `str` takes anything but a slash (a NUL byte included, which PostgreSQL refuses)
and `int` takes any number of digits. These match only what an identifier can be, so
anything else is a 404 before a view or the database sees it.
"""

from django.urls import register_converter


class _Text:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


class GssCode(_Text):
    """A GSS code: a letter and eight digits, like E06000001 (lower case is redirected)."""

    regex = "[A-Za-z][0-9]{8}"


class Code(_Text):
    """A framework code: a dimension like LEAD or a question like LEAD-03."""

    regex = "[A-Za-z0-9-]{1,12}"


class Token(_Text):
    """A token: an invitation's signed token (base64 and the signer's separators), or a
    password reset link's user id (base64) and token."""

    regex = "[-A-Za-z0-9_:.]{1,300}"


class Id:
    """A primary key: at most 18 digits, so it always fits a 64-bit column."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: object) -> str:
        return str(value)


def register() -> None:
    register_converter(GssCode, "gss")
    register_converter(Code, "code")
    register_converter(Token, "token")
    register_converter(Id, "id")
