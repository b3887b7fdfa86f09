"""{% kept %}: a part drawn from the values it names and nothing else, kept for those values."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.fragments import plain

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Row:
    name: str
    score: Decimal | None


def drawn(source: str, **values) -> str:
    return Template("{% load i18n kept %}" + source).render(Context(values))


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["fragments"].clear()


def test_the_part_sees_only_the_values_it_names():
    part = '{% kept "row" row=row %}{{ row.name }} {{ row.score }}|{{ secret }}{% endkept %}'

    assert drawn(part, row=Row("Leadership", Decimal("2.5")), secret="x") == "Leadership 2.5|"


def test_other_values_draw_it_anew_and_the_same_values_find_the_kept_copy():
    part = (
        '{% kept "rows" rows=rows %}'
        "{% for r in rows %}{{ r.name }}={{ r.score }};{% endfor %}"
        "{% endkept %}"
    )
    first = [Row("Leadership", Decimal("2.5")), Row("Skills", None)]
    second = [Row("Leadership", Decimal("2.50")), Row("Skills", Decimal("1"))]

    assert drawn(part, rows=first) == "Leadership=2.5;Skills=None;"
    assert drawn(part, rows=second) == "Leadership=2.50;Skills=1;"
    assert drawn(part, rows=first) == "Leadership=2.5;Skills=None;"


def test_each_language_has_its_own_copy():
    part = '{% kept "word" n=1 %}{% translate "Overall score" %}{% endkept %}'

    english = drawn(part)
    with translation.override("cy"):
        welsh = drawn(part)

    assert english == "Overall score"
    assert welsh != english


def test_plain_takes_dataclasses_field_by_field_and_lazy_text_as_text():
    assert plain({"a": [Row("x", Decimal("1.0"))], "b": gettext_lazy("Overall score")}) == (
        ("a", (("Row", (("name", "x"), ("score", Decimal("1.0")))),)),
        ("b", "Overall score"),
    )


def test_a_model_instance_is_refused(personas):
    # Its repr is only its name: two different councils of one name would share a copy.
    with pytest.raises(TypeError):
        drawn(
            '{% kept "council" council=council %}{{ council.name }}{% endkept %}',
            council=personas.council_a,
        )


@pytest.mark.parametrize(
    "source",
    [
        "{% kept rows %}x{% endkept %}",
        '{% kept "rows" rows %}x{% endkept %}',
        '{% kept "rows" 1x=rows %}x{% endkept %}',
    ],
)
def test_the_part_needs_a_quoted_name_and_named_values(source):
    with pytest.raises(TemplateSyntaxError):
        drawn(source)
