"""Text that a spreadsheet will not run as a formula: every CSV cell and every XLSX text cell
of the sector report, every open data CSV cell and every text cell of a plan export goes
through `neutralise`."""

from datetime import UTC, datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def neutralise(value: str) -> str:
    """`value`, with a single quote in front if it begins with =, +, -, @, a tab or a carriage
    return, so that a spreadsheet opening the file takes it as text, never as a formula (OWASP,
    "CSV Injection").

    Numbers: XLSX numeric cells are numbers, not text, so they cannot be formulas and are
    written as they are (a negative change stays a negative number). CSV has no types, so a
    negative number written as text would be neutralised into "'-0.25", which no longer reads
    as a number. The CSV therefore holds only non-negative figures (scores, percentiles and
    counts, all 0 or more; no changes), so neutralise only ever alters names and other text.
    """
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def xlsx_cell(value: object) -> object:
    """A value as an XLSX cell takes it: text neutralised and stripped of the control characters
    XLSX cannot hold; a time in UTC without its zone (XLSX has none); numbers and dates as they
    are."""
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value
