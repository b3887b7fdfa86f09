"""Why a report could not be made.

The message of each error is written for the person who asked for the report (the task that
builds it records it as the failure); the technical cause is chained as ``__cause__`` for the
logs. Every failure is worth retrying except a council with no signed-off assessment.
"""


class ReportError(Exception):
    """A report could not be made: no signed-off assessment, an unknown council or peer group,
    or anything failing while it was drawn."""


class ChartRenderError(ReportError):
    """A chart could not be drawn as SVG: Chromium is missing, failed to start, crashed or
    took too long, or kaleido gave back something that is not an SVG."""
