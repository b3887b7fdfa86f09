import factory
from factory.django import DjangoModelFactory

from councils.models import (
    Council,
    CouncilType,
    Nation,
    Network,
    NetworkSharing,
    Rurality,
    Tier,
)


def _code(n: int) -> str:
    """A unique four-character mySociety code (the column's limit): "T" and n in base 36, so
    a test session can make 46,656 councils, not 1,000."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(3):
        n, digit = divmod(n, 36)
        out = digits[digit] + out
    return "T" + out


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("gss_code",)

    # Above every real E06 code: from 0, the sequence made E06000001, the persona council A's
    # code, and get_or_create then handed back council A instead of a new council.
    gss_code = factory.Sequence(lambda n: f"E06{900_000 + n:06d}")
    name = factory.Sequence(lambda n: f"Testshire {n} Council")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    la_code = factory.Sequence(_code)
    council_type = CouncilType.UNITARY
    tier = Tier.UNITARY
    nation = Nation.ENGLAND
    region = "North East"
    population = 150_000
    population_year = 2020
    deprivation_score = "25.00"
    deprivation_quintile = 3
    deprivation_decile = 5
    high_deprivation_share = "0.200"
    area_km2 = "200.00"
    density_per_km2 = "750.0"
    rurality = Rurality.URBAN


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Regional digital partnership {n}")
    slug = factory.Sequence(lambda n: f"regional-digital-partnership-{n}")
    description = "A regional partnership of councils."

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class NetworkSharingFactory(DjangoModelFactory):
    class Meta:
        model = NetworkSharing

    council = factory.SubFactory(CouncilFactory)
    network = factory.SubFactory(NetworkFactory)
    by_name = True
