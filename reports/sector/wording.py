"""The sector report's words: the generated summary, participation, a change, a withheld
figure, and the notes on method and suppression. Numbers are written by `core.formatting`, the
scale's levels come from `assessments.scoring`. Everything is in the active language: the report
job writes the report in the language it was asked in."""

from __future__ import annotations

from decimal import Decimal

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext

from assessments.scoring import LEVEL_NAMES, MAX_LEVEL, MIN_LEVEL
from benchmarks.figures import GroupFigures, withheld_words
from benchmarks.publication import OVERLAP, TOO_SMALL
from benchmarks.statistics import level_of
from core.formatting import figure_text, signed_figure

from .data import SectorData


def _licence_note() -> str:
    return gettext(
        "Council register data (names, GSS codes, types, nations) contains data from mySociety "
        "(uk_local_authority_names_and_codes, composite_uk_imd, local-authority-similarity), "
        "licensed under CC BY 4.0 (%(url)s). The underlying ONS, NRS, NISRA and national "
        "deprivation data is under the Open Government Licence v3.0."
    ) % {"url": "https://creativecommons.org/licenses/by/4.0/"}


# In the active language whenever it is read (str() it, or put it in a template).
LICENCE_NOTE = lazy(_licence_note, str)()


def scale() -> str:
    """ "from 1 (ad hoc) to 5 (leading)": the scale a council scores itself on."""
    return gettext("from %(lowest)s (%(lowest_name)s) to %(highest)s (%(highest_name)s)") % {
        "lowest": MIN_LEVEL,
        "lowest_name": str(LEVEL_NAMES[MIN_LEVEL]).lower(),
        "highest": MAX_LEVEL,
        "highest_name": str(LEVEL_NAMES[MAX_LEVEL]).lower(),
    }


def summary(data: SectorData) -> list[str]:
    """The generated sentences of the narrative summary."""
    sentences = [participation_sentence(data)]
    overall = data.figures[-1].current if data.figures else None
    if overall is not None and overall.median is not None:
        level = level_of(overall.median)
        sentences.append(
            gettext(
                "The median overall score was %(median)s out of %(top)s (level %(level)s, "
                "%(name)s)."
            )
            % {
                "median": figure_text(overall.median),
                "top": MAX_LEVEL,
                "level": level,
                "name": str(LEVEL_NAMES[level]).lower(),
            }
        )
    elif overall is not None:
        sentences.append(
            gettext("The overall figures are not shown (%(reason)s).")
            % {"reason": withheld_words(overall.reason, data.min_group)}
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
                gettext(
                    "Councils scored highest on %(top)s (median %(highest)s) and lowest on "
                    "%(bottom)s (median %(lowest)s)."
                )
                % {
                    "top": _in_sentence(top.subject.name),
                    "highest": figure_text(highest),
                    "bottom": _in_sentence(bottom.subject.name),
                    "lowest": figure_text(lowest),
                }
            )
    changes = [
        (f, f.change)
        for f in data.figures
        if f.subject.dimension_id is not None and f.change is not None
    ]
    if data.previous is None:
        sentences.append(gettext("There is no earlier round to compare with."))
    elif not changes:
        sentences.append(
            gettext("No barrier's median can be compared with %(round)s.")
            % {"round": data.previous.name}
        )
    elif not any(change for _subject, change in changes):
        sentences.append(
            gettext("No barrier's median changed since %(round)s.") % {"round": data.previous.name}
        )
    else:
        biggest, change = max(changes, key=lambda pair: abs(pair[1]))
        words = {
            "round": data.previous.name,
            "barrier": _in_sentence(biggest.subject.name),
            "change": figure_text(abs(change)),
        }
        if change > 0:
            sentence = gettext(
                "The biggest change since %(round)s was in %(barrier)s, where the median rose by "
                "%(change)s."
            )
        else:
            sentence = gettext(
                "The biggest change since %(round)s was in %(barrier)s, where the median fell by "
                "%(change)s."
            )
        sentences.append(sentence % words)
    return sentences


def _in_sentence(name: str) -> str:
    """A dimension's name inside a sentence: "Data sharing" -> "data sharing", "ICT" stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def participation_sentence(data: SectorData) -> str:
    share = data.participation_percent
    words = {
        "signed_off": data.signed_off,
        "eligible": data.eligible,
        "scope": data.scope,
        "round": data.round.name,
        "share": share,
    }
    if data.is_network:
        if share is None:
            sentence = gettext(
                "%(signed_off)s of the %(eligible)s member councils of %(scope)s signed off "
                "their assessment in %(round)s."
            )
        else:
            sentence = gettext(
                "%(signed_off)s of the %(eligible)s member councils of %(scope)s (%(share)s%%) "
                "signed off their assessment in %(round)s."
            )
    elif share is None:
        sentence = gettext(
            "%(signed_off)s of the %(eligible)s councils in the UK register signed off their "
            "assessment in %(round)s."
        )
    else:
        sentence = gettext(
            "%(signed_off)s of the %(eligible)s councils in the UK register (%(share)s%%) signed "
            "off their assessment in %(round)s."
        )
    return sentence % words


def change_text(change: Decimal) -> str:
    """A change in a median for people to read: "+0.25", "−0.25" (a true minus sign) or
    "no change"."""
    return gettext("no change") if change == 0 else signed_figure(change)


def withheld_text(figures: GroupFigures | None, min_group: int) -> str:
    """Why a result is not shown, as a table cell: "Fewer than 3 councils", "No results yet"."""
    return capfirst(withheld_words(figures.reason if figures else None, min_group))


def notes_sections(min_group: int) -> list[tuple[str, list[str]]]:
    """Method and suppression in plain English (from benchmarks/README.md): (heading,
    paragraphs)."""
    k = min_group
    method = [
        gettext(
            "Only assessments signed off by the council's chief executive count. Each council "
            "scores itself %(scale)s on each barrier; a barrier's score is the mean of the "
            "council's agreed answers, to one decimal place, and the overall score is the mean "
            "of the barrier scores it has. A barrier with no score is left out."
        )
        % {"scale": scale()},
        gettext(
            "Medians, quartiles and percentiles use linear interpolation between the two "
            "nearest ordered scores (as PostgreSQL's percentile_cont). A score counts at its "
            "nearest level, halves up (2.5 is level 3). Every figure is rounded to two decimal "
            "places, halves up."
        ),
        gettext(
            "The change since the previous round compares the medians of the same barrier in "
            "the round that opened before this one (by code when the framework version "
            "changed). It is shown only when both medians were published."
        ),
    ]
    suppression = [
        gettext(
            "A group with fewer than %(k)s councils with a score has no figures: it is shown as "
            "'%(words)s', and its number of councils is not shown either."
        )
        % {"k": k, "words": withheld_words(TOO_SMALL, k)},
        gettext(
            "A group is also withheld ('%(words)s') if it differs from another published group "
            "by between 1 and %(below)s councils: comparing the two totals would reveal those "
            "councils' scores, and so is its number of councils."
        )
        % {"words": withheld_words(OVERLAP, k), "below": k - 1},
        gettext(
            "The 10th and 90th percentiles, the minimum and the maximum are shown only for "
            "groups of at least %(double)s councils, because in a smaller group they are too "
            "close to a single council's score."
        )
        % {"double": 2 * k},
        gettext(
            "Councils are named only in a network's report, and only those that chose to share "
            "their results with that network by name. Every other signed-off member is shown "
            "as one pooled row, whose mean is shown only if the pool has at least %(k)s "
            "councils and passes the same rule against every published group, once the named "
            "councils are taken out. The UK-wide report names no council."
        )
        % {"k": k},
        gettext(
            "In the spreadsheet and CSV files, text that begins with =, +, - or @, a tab or a "
            "carriage return has a single quote added in front, so that spreadsheets do not "
            "run it as a formula."
        ),
    ]
    return [(gettext("Method"), method), (gettext("Suppression"), suppression)]
