"""The one way views load a report: only for people who may have it, else a 404."""

from typing import Any

from django.http import Http404

from accounts.models import CouncilMembership, CouncilRole, NetworkMembership

from .models import COUNCIL_KINDS, Report

# Council reports are for the people who take them to the council's leadership.
COUNCIL_REPORT_ROLES = (CouncilRole.LEAD, CouncilRole.EXECUTIVE)


def may_see(user: Any, report: Report) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if report.kind in COUNCIL_KINDS:
        return CouncilMembership.objects.filter(
            user=user, council=report.council, role__in=COUNCIL_REPORT_ROLES
        ).exists()
    if report.network_id is not None:
        return NetworkMembership.objects.filter(user=user, network_id=report.network_id).exists()
    return bool(user.is_staff)


def report_for(user: Any, pk: int) -> Report:
    report = Report.objects.select_related("council", "network", "round").filter(pk=pk).first()
    if report is None or not may_see(user, report):
        raise Http404("No such report.")
    return report
