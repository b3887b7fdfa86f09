from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import (
    CouncilMembership,
    CouncilRole,
    Invitation,
    NetworkMembership,
    User,
)
from councils.tests.factories import CouncilFactory, NetworkFactory

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class CouncilMembershipFactory(DjangoModelFactory):
    class Meta:
        model = CouncilMembership

    user = factory.SubFactory(UserFactory)
    council = factory.SubFactory(CouncilFactory)
    role = CouncilRole.OFFICER


class NetworkMembershipFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    council = factory.SubFactory(CouncilFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.gov.uk")
    role = CouncilRole.OFFICER
    invited_by = None
    nonce = factory.Faker("hexify", text="^" * 32)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
