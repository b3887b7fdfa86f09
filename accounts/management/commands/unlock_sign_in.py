"""End a sign-in lock for someone who cannot wait for it to run out."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.models import User
from core.client import normalise_address


class Command(BaseCommand):
    help = (
        "End the sign-in locks on a person's account (by email address) and/or on a client "
        "address, such as a council office's network."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="the person's email address")
        parser.add_argument("--client", help="an IPv4 or IPv6 address the sign-ins came from")

    def handle(self, *args: Any, email: str | None, client: str | None, **options: Any) -> None:
        if not email and not client:
            raise CommandError("Give --email, --client or both.")
        user = None
        if email:
            user = User.objects.filter(email__iexact=email.strip()).first()
            if user is None:
                raise CommandError(f"No account has the email address {email}.")
        address = None
        if client:
            address = normalise_address(client)
            if not address:
                raise CommandError(f"{client} is not an IP address.")
        deleted = services.sign_in_lock_clear(user=user, client=address)
        self.stdout.write(f"Removed {deleted} failed sign-in count{'s' if deleted != 1 else ''}.")
