"""The sector report's words: the generated summary, participation, a change, a withheld
figure, and the notes on method and suppression. Numbers are written by `core.formatting`, the
scale's levels come from `assessments.scoring`."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import capfirst

from assessments.scoring import LEVEL_NAMES, MAX_LEVEL, MIN_LEVEL
from benchmarks.figures import GroupFigures, withheld_words
from benchmarks.publication import OVERLAP, TOO_SMALL
from benchmarks.statistics import level_of
from core.formatting import figure_text, signed_figure

from .data import SectorData

LICENCE_NOTE = (
    "Council register data (names, GSS codes, types, nations) contains data from mySociety "
    "(uk_local_authority_names_and_codes, composite_uk_imd, local-authority-similarity), "
    "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The underlying "
    "ONS, NRS, NISRA and national deprivation data is under the Open Government Licence v3.0."
)
# "from 1 (ad hoc) to 5 (leading)": the scale a council scores itself on.
SCALE = (
    f"from {MIN_LEVEL} ({LEVEL_NAMES[MIN_LEVEL].lower()}) "
    f"to {MAX_LEVEL} ({LEVEL_NAMES[MAX_LEVEL].lower()})"
)


def summary(data: SectorData) -> list[str]:
    """The generated sentences of the narrative summary."""
    sentences = [participation_sentence(data)]
    overall = data.figures[-1].current if data.figures else None
    if overall is not None and overall.median is not None:
        level = level_of(overall.median)
        sentences.append(
            f"The median overall score was {figure_text(overall.median)} out of {MAX_LEVEL} "
            f"(level {level}, {LEVEL_NAMES[level].lower()})."
        )
    elif overall is not None:
        sentences.append(
            f"The overall figures are not shown ({withheld_words(overall.reason, data.min_group)})."
        )
    dimensions = [
        (f, f.current.median)
        for f in data.figures
        if f.subject.dimension_id is not None
        and f.current is not None
        and f.current.median is not None
    ]
    if len(dimensions) >= 2:
        top, highest = max(dimensions, key=lambda pair: pair[1])
        bottom, lowest = min(dimensions, key=lambda pair: pair[1])
        if highest != lowest:
            sentences.append(
                f"Councils scored highest on {_in_sentence(top.subject.name)} (median "
                f"{figure_text(highest)}) and lowest on {_in_sentence(bottom.subject.name)} "
                f"(median {figure_text(lowest)})."
            )
    changes = [
        (f, f.change)
        for f in data.figures
        if f.subject.dimension_id is not None and f.change is not None
    ]
    if data.previous is None:
        sentences.append("There is no earlier round to compare with.")
    elif not changes:
        sentences.append(f"No barrier's median can be compared with {data.previous.name}.")
    elif not any(change for _, change in changes):
        sentences.append(f"No barrier's median changed since {data.previous.name}.")
    else:
        biggest, change = max(changes, key=lambda pair: abs(pair[1]))
        direction = "rose" if change > 0 else "fell"
        sentences.append(
            f"The biggest change since {data.previous.name} was in "
            f"{_in_sentence(biggest.subject.name)}, where the median {direction} by "
            f"{figure_text(abs(change))}."
        )
    return sentences


def _in_sentence(name: str) -> str:
    """A dimension's name inside a sentence: "Data sharing" -> "data sharing", "ICT" stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def participation_sentence(data: SectorData) -> str:
    share = data.participation_percent
    of = f" ({share}%)" if share is not None else ""
    if data.is_network:
        return (
            f"{data.signed_off} of the {data.eligible} member councils of {data.scope}{of} "
            f"signed off their assessment in {data.round.name}."
        )
    return (
        f"{data.signed_off} of the {data.eligible} councils in the UK register{of} signed off "
        f"their assessment in {data.round.name}."
    )


def change_text(change: Decimal) -> str:
    """A change in a median for people to read: "+0.25", "−0.25" (a true minus sign) or
    "no change"."""
    return "no change" if change == 0 else signed_figure(change)


def withheld_text(figures: GroupFigures | None, min_group: int) -> str:
    """Why a result is not shown, as a table cell: "Fewer than 3 councils", "No results yet"."""
    return capfirst(withheld_words(figures.reason if figures else None, min_group))


def notes_sections(min_group: int) -> list[tuple[str, list[str]]]:
    """Method and suppression in plain English (from benchmarks/README.md): (heading,
    paragraphs)."""
    k = min_group
    method = [
        "Only assessments signed off by the council's chief executive count. Each council "
        f"scores itself {SCALE} on each barrier; a barrier's score is the mean of the "
        "council's agreed answers, to one decimal place, and the overall score is the mean of "
        "the barrier scores it has. A barrier with no score is left out.",
        "Medians, quartiles and percentiles use linear interpolation between the two nearest "
        "ordered scores (as PostgreSQL's percentile_cont). A score counts at its nearest level, "
        "halves up (2.5 is level 3). Every figure is rounded to two decimal places, halves up.",
        "The change since the previous round compares the medians of the same barrier in "
        "the round that opened before this one (by code when the framework version changed). "
        "It is shown only when both medians were published.",
    ]
    suppression = [
        f"A group with fewer than {k} councils with a score has no figures: it is shown as "
        f"'{withheld_words(TOO_SMALL, k)}', and its number of councils is not shown either.",
        f"A group is also withheld ('{withheld_words(OVERLAP, k)}') if it differs "
        f"from another published group by between 1 and {k - 1} councils: comparing the two "
        "totals would reveal those councils' scores, and so is its number of councils.",
        f"The 10th and 90th percentiles, the minimum and the maximum are shown only for groups "
        f"of at least {2 * k} councils, because in a smaller group they are too close to a "
        "single council's score.",
        "Councils are named only in a network's report, and only those that chose to share "
        "their results with that network by name. Every other signed-off member is shown as "
        f"one pooled row, whose mean is shown only if the pool has at least {k} councils and "
        "passes the same rule against every published group, once the named councils are "
        "taken out. The UK-wide report names no council.",
        "In the spreadsheet and CSV files, text that begins with =, +, - or @, a tab or a "
        "carriage return has a single quote added in front, so that spreadsheets do not run "
        "it as a formula.",
    ]
    return [("Method", method), ("Suppression", suppression)]
