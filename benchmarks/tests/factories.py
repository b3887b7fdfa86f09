"""Test helpers for the benchmarks app's own models. The assessments rows benchmarks read
(frameworks, dimensions, rounds, signed-off assessments and their frozen scores) are made by
assessments.tests.factories."""

from benchmarks.models import PeerGroup, Release
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild


def make_group(slug, kind, councils, owner=None, name=None) -> PeerGroup:
    """A peer group of `councils`, named `name` (or its slug)."""
    group = PeerGroup.objects.create(slug=slug, name=name or slug, kind=kind, owner=owner)
    group.members.set(councils)
    return group


def release(round_) -> Release | None:
    """Rebuild the round's live results and make its next release, as the sign-off jobs and
    the daily release do: the release, or None when no figure would change."""
    benchmarks_rebuild(round_id=round_.pk)
    return release_make(round_id=round_.pk)
