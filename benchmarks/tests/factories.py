"""Test helpers for the benchmarks app's own models. The assessments rows benchmarks read
(frameworks, dimensions, rounds, signed-off assessments and their frozen scores) are made by
assessments.tests.factories."""

from benchmarks.models import PeerGroup


def make_group(slug, kind, councils, owner=None, name=None) -> PeerGroup:
    """A peer group of `councils`, named `name` (or its slug)."""
    group = PeerGroup.objects.create(slug=slug, name=name or slug, kind=kind, owner=owner)
    group.members.set(councils)
    return group
