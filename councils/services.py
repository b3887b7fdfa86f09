"""Each council's choice of how its results are shared with its networks. The register and
its import are in councils.register."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .models import Council, Network, NetworkSharing, SharingEvent

if TYPE_CHECKING:
    from accounts.models import User


class SharingError(ValueError):
    """A rule stops this sharing choice. The message is written for the person who tried."""


def sharing_set(*, council: Council, network: Network, by_name: bool, by: User) -> bool:
    """Set whether the network may show the council's results by name; True if it changed.

    Refuses (SharingError) if the council is not a member of the network. A change is
    written to the audit trail (SharingEvent) in the same transaction; setting the value
    the council already has changes nothing and records nothing, so it is safe to repeat.
    Who may make the choice (the council's assessment lead) is the view's to check.
    """
    with transaction.atomic():
        if not network.members.filter(pk=council.pk).exists():
            raise SharingError(
                gettext("%(council)s is not a member of %(networks)s.")
                % {"council": council.short_name, "networks": network.name}
            )
        now = timezone.now()
        rows = NetworkSharing.objects.select_for_update()
        if by_name:
            # get_or_create copes with someone else creating the row at the same moment.
            row, created = rows.get_or_create(
                council=council,
                network=network,
                defaults={"by_name": True, "updated_at": now, "updated_by": by},
            )
        else:
            # No row already means anonymous, so going anonymous never needs to create one.
            found = rows.filter(council=council, network=network).first()
            if found is None:
                return False
            row, created = found, False
        if not created:
            if row.by_name == by_name:
                return False
            row.by_name, row.updated_at, row.updated_by = by_name, now, by
            row.save(update_fields=["by_name", "updated_at", "updated_by"])
        SharingEvent.objects.create(
            council=council,
            network=network,
            actor=by,
            at=now,
            by_name_before=not by_name,
            by_name_after=by_name,
        )
        return True


def sharing_set_many(*, council: Council, choices: Mapping[Network, bool], by: User) -> int:
    """Apply several sharing choices for one council, all or nothing; the number changed.

    Only the networks whose value differs from what is stored go through `sharing_set`,
    so saving a page of unchanged choices costs two queries. Refuses (SharingError) if the
    council is not a member of one of the networks; any refusal undoes every change.
    """
    with transaction.atomic():
        member_of = set(
            council.networks.filter(pk__in=[network.pk for network in choices]).values_list(
                "pk", flat=True
            )
        )
        outside = sorted(network.name for network in choices if network.pk not in member_of)
        if outside:
            raise SharingError(
                gettext("%(council)s is not a member of %(networks)s.")
                % {"council": council.short_name, "networks": ", ".join(outside)}
            )
        # Lock what is there first, so the comparison holds until the changes are written.
        stored = dict(
            NetworkSharing.objects.select_for_update()
            .filter(council=council, network__in=list(choices))
            .values_list("network_id", "by_name")
        )
        return sum(
            sharing_set(council=council, network=network, by_name=by_name, by=by)
            for network, by_name in choices.items()
            if stored.get(network.pk, False) != by_name
        )
