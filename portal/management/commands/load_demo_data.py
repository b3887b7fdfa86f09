from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, demo_data_load


class Command(BaseCommand):
    help = "Create or refresh one demo sign-in per role (local use only) and print them."

    def handle(self, *args, **options) -> None:
        try:
            data = demo_data_load()
        except (ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error)) from error
        logins = data.logins
        width = max(len(login.role) for login in logins)
        self.stdout.write(data.summary)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo sign-ins (all use the same password):"))
        for login in logins:
            self.stdout.write(f"  {login.role.ljust(width)}  {login.email}")
        self.stdout.write(f"  {'Password'.ljust(width)}  {DEMO_PASSWORD}")
        self.stdout.write(f"Sign in at {settings.PORTAL_BASE_URL}/sign-in/")
        self.stdout.write("")
