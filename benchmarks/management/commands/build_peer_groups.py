from typing import Any

from django.core.management.base import BaseCommand

from benchmarks.peer_groups import peer_groups_build


class Command(BaseCommand):
    help = (
        "Create or update the peer groups (all UK councils, nations, council types, tiers, "
        "English regions, population bands, deprivation quintiles, rurality, nearest "
        "neighbours and networks) from the council register. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = peer_groups_build()
        self.stdout.write(self.style.SUCCESS(f"Built {count} peer groups."))
