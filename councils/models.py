from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.translation import in_active_language


class CouncilType(models.TextChoices):
    COUNTY = "county", _("County council")
    DISTRICT = "district", _("District council")
    UNITARY = "unitary", _("Unitary authority")
    METROPOLITAN_DISTRICT = "metropolitan_district", _("Metropolitan district")
    LONDON_BOROUGH = "london_borough", _("London borough")
    WELSH_UNITARY = "welsh_unitary", _("Welsh principal council")
    SCOTTISH_UNITARY = "scottish_unitary", _("Scottish council")
    NI_DISTRICT = "ni_district", _("Northern Ireland district council")


class Nation(models.TextChoices):
    ENGLAND = "England", _("England")
    WALES = "Wales", _("Wales")
    SCOTLAND = "Scotland", _("Scotland")
    NORTHERN_IRELAND = "Northern Ireland", _("Northern Ireland")


# The register's regions: England's nine (ONS's names, in English in the register) and, outside
# England, the nation. Their Welsh names are the ones ONS and the Welsh Government use.
REGION_NAMES = {
    "North East": pgettext_lazy("English region", "North East"),
    "North West": pgettext_lazy("English region", "North West"),
    "Yorkshire and The Humber": pgettext_lazy("English region", "Yorkshire and The Humber"),
    "East Midlands": pgettext_lazy("English region", "East Midlands"),
    "West Midlands": pgettext_lazy("English region", "West Midlands"),
    "East of England": pgettext_lazy("English region", "East of England"),
    "London": pgettext_lazy("English region", "London"),
    "South East": pgettext_lazy("English region", "South East"),
    "South West": pgettext_lazy("English region", "South West"),
    **{nation.value: nation.label for nation in Nation if nation != Nation.ENGLAND},
}


def region_name(region: str) -> str:
    """A region of the register in the active language (a region it does not know, as it is)."""
    return str(REGION_NAMES.get(region, region))


class Tier(models.TextChoices):
    UNITARY = "unitary", _("Single tier")
    UPPER = "upper", _("Upper tier (county)")
    LOWER = "lower", _("Lower tier (district)")
    NI_DISTRICT = "ni_district", _("Northern Ireland district")


class Rurality(models.TextChoices):
    URBAN = "Urban", _("Urban")
    URBAN_WITH_RURAL = "Urban with rural areas", _("Urban with rural areas")
    RURAL = "Rural", _("Rural")
    SPARSE_AND_RURAL = "Sparse and rural", _("Sparse and rural")


class CouncilQuerySet(models.QuerySet["Council"]):
    def search(self, text: str) -> CouncilQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name_en__icontains=text)
            | Q(short_name_en__icontains=text)
            | Q(name_cy__icontains=text)
            | Q(short_name_cy__icontains=text)
            | Q(gss_code__iexact=text)
            | Q(former_codes__gss_code__iexact=text)
        ).distinct()

    def by_code(self, code: str) -> CouncilQuerySet:
        """Councils known by this GSS code, now or formerly."""
        return self.filter(Q(gss_code=code) | Q(former_codes__gss_code=code)).distinct()

    def in_name_order(self) -> CouncilQuerySet:
        return self.order_by(name_order())


def name_order(through: str = "") -> OrderBy:
    """Councils in the order of the short names people see: by the Welsh name, where there is
    one, when Welsh is active. `through` is the path to the council, such as "council__".

    Build it when the query is made, not at import: it reads the active language. (Letters
    sort as the database's collation sorts them, not by the Welsh alphabet's digraphs.)
    """
    english = F(f"{through}short_name_en")
    if translation.get_language() != "cy":
        return english.asc()
    return Coalesce(NullIf(F(f"{through}short_name_cy"), Value("")), english).asc()


class Council(models.Model):
    """A principal council from the UK register (councils/data/uk_councils.csv)."""

    gss_code = models.CharField(_("GSS code"), max_length=9, unique=True)
    # The register's names are English; the 22 Welsh councils also have their Welsh names
    # (councils/data/welsh_names.csv), blank for every other council. `name` and `short_name`
    # read in the active language (core.translation); the columns keep their old names.
    name_en = models.CharField("name", max_length=120, db_column="name")
    name_cy = models.CharField("name in Welsh", max_length=120, blank=True)
    short_name_en = models.CharField(
        "short name", max_length=80, unique=True, db_column="short_name"
    )
    short_name_cy = models.CharField("short name in Welsh", max_length=80, blank=True)
    la_code = models.CharField(_("mySociety code"), max_length=4, unique=True)
    council_type = models.CharField(max_length=24, choices=CouncilType.choices)
    tier = models.CharField(max_length=12, choices=Tier.choices)
    nation = models.CharField(max_length=16, choices=Nation.choices)
    region = models.CharField(max_length=40)
    parent_county = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="districts",
        limit_choices_to={"tier": Tier.UPPER},
    )
    population = models.PositiveIntegerField()
    population_year = models.PositiveSmallIntegerField()
    deprivation_score = models.DecimalField(max_digits=6, decimal_places=2)
    deprivation_quintile = models.PositiveSmallIntegerField()
    deprivation_decile = models.PositiveSmallIntegerField()
    high_deprivation_share = models.DecimalField(max_digits=4, decimal_places=3)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=9, decimal_places=2)
    density_per_km2 = models.DecimalField(_("people per km²"), max_digits=9, decimal_places=1)
    rurality = models.CharField(max_length=24, choices=Rurality.choices)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    name = in_active_language("name")
    short_name = in_active_language("short_name")

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["short_name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_name_cy"],
                condition=~Q(short_name_cy=""),
                name="council_short_name_cy_unique",
            ),
            models.CheckConstraint(
                condition=Q(deprivation_quintile__gte=1, deprivation_quintile__lte=5),
                name="council_deprivation_quintile_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(deprivation_decile__gte=1, deprivation_decile__lte=10),
                name="council_deprivation_decile_1_to_10",
            ),
        ]
        indexes = [models.Index(fields=["nation", "council_type", "region"])]

    def __str__(self) -> str:
        return self.name

    @property
    def region_name(self) -> str:
        return region_name(self.region)


class FormerGssCode(models.Model):
    """A GSS code the council used to have, so older datasets still join to it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="former_codes")
    gss_code = models.CharField(_("former GSS code"), max_length=9, unique=True)

    class Meta:
        ordering = ["gss_code"]

    def __str__(self) -> str:
        return self.gss_code


class Network(models.Model):
    """A named group of member councils, such as a regional partnership or a sector society."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(Council, related_name="networks", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def sharing_label(by_name: bool) -> str:
    return gettext("By name") if by_name else gettext("Anonymous figures only")


class NetworkSharingQuerySet(models.QuerySet["NetworkSharing"]):
    def named_in(self, network: Network) -> NetworkSharingQuerySet:
        """Councils that share with this network by name and are still its members.

        A council that leaves keeps its row (so its choice returns if it rejoins), but it
        is never named to a network it is no longer in.
        """
        return self.filter(network=network, by_name=True, council__networks=network)


class NetworkSharing(models.Model):
    """A council's choice to be named to one network. No row means anonymous figures only."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="network_sharing")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="sharing")
    by_name = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NetworkSharingQuerySet.as_manager()

    class Meta:
        ordering = ["council__short_name_en", "network__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "network"], name="one_sharing_choice_per_council_per_network"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council.short_name}, {self.network}: {sharing_label(self.by_name)}"


def council_ids_named_in(network: Network) -> set[int]:
    """Ids of the member councils that the network may show by name, in one query."""
    return set(NetworkSharing.objects.named_in(network).values_list("council_id", flat=True))


class SharingEvent(models.Model):
    """A change of a council's sharing choice. Never edited or deleted by the portal."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="sharing_events")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="sharing_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    by_name_before = models.BooleanField()
    by_name_after = models.BooleanField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.council.short_name}, {self.network}: {self.before_label} → {self.after_label}"
        )

    @property
    def before_label(self) -> str:
        return sharing_label(self.by_name_before)

    @property
    def after_label(self) -> str:
        return sharing_label(self.by_name_after)
