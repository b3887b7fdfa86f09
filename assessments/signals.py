"""What assessments announce to higher apps, which must not be imported here (README, "How the
code is laid out"). Sent inside the change's transaction, so a receiver's writes commit or roll
back with it."""

from django.dispatch import Signal

# An assessment was signed off (after its scores are frozen). Arguments: assessment.
assessment_signed_off = Signal()
# A signed-off assessment was reopened (after its scores are withdrawn). Arguments: assessment.
assessment_reopened = Signal()
