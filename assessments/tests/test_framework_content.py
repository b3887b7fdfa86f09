"""Checks on the words in the shipped framework files, so an edit that breaks the house rules
fails here rather than in front of a council. No database needed."""

import re
from collections import defaultdict

import pytest

from assessments.framework_import import (
    DEFAULT_FRAMEWORK_DIR,
    QUESTION_CODE_RE,
    FrameworkSpec,
    framework_file_read,
)

FILES = sorted(DEFAULT_FRAMEWORK_DIR.glob("*.yaml"))

NINE_BARRIERS = [
    ("LEAD", "Leadership and strategy"),
    ("PROC", "Procurement and commercial"),
    ("CULT", "Culture and change"),
    ("DATA", "Data sharing and use"),
    ("SKIL", "Skills and capability"),
    ("TECH", "Legacy systems and technology"),
    ("INCL", "Citizen engagement and digital inclusion"),
    ("CYBR", "Cyber resilience"),
    ("COLL", "Collaboration and shared services"),
]

BANNED = re.compile(
    r"\b(leverag\w*|robust\w*|holistic\w*|synerg\w*|utili[sz]\w*|stakeholder engagement)\b",
    re.IGNORECASE,
)
# American spellings the portal should not use (it is written in UK English).
AMERICAN = re.compile(
    r"\b(\w*organiz\w*|\w*prioritiz\w*|behavior\w*|analyz\w*|center|centers|color\w*|"
    r"catalog|program|programs|enroll\w*|licensing|fulfill)\b",
    re.IGNORECASE,
)
CONTRACTION = re.compile(r"\w(n't|'re|'ve|'ll|'d)\b", re.IGNORECASE)
# Abbreviations readers know without spelling out (GOV.UK style: NHS, UK, IT).
KNOWN_ABBREVIATIONS = {"NHS", "GP", "GPs", "UK", "IT", "AA"}

MAX_DESCRIPTOR = 200
MAX_STATEMENT = 120
MAX_AVERAGE_SENTENCE = 25
MAX_SENTENCE = 30


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


def words(text: str) -> list[str]:
    return re.findall(r"[\w'’.-]+", text)


@pytest.fixture(scope="module", params=FILES, ids=[path.name for path in FILES])
def spec(request) -> FrameworkSpec:
    return framework_file_read(path=request.param)


def descriptors(spec: FrameworkSpec) -> list[tuple[str, int, str]]:
    return [
        (question.code, level, text)
        for question in spec.questions
        for level, text in enumerate(question.levels, start=1)
    ]


def all_text(spec: FrameworkSpec) -> list[tuple[str, str]]:
    """Every piece of text a council reads, with where it is."""
    found: list[tuple[str, str]] = [("framework description", spec.description)]
    for dimension in spec.dimensions:
        found.append((f"{dimension.code} description", dimension.description))
        for question in dimension.questions:
            found.append((f"{question.code} statement", question.statement))
            found.append((f"{question.code} guidance", question.guidance))
            found.extend(
                (f"{question.code} level {level}", text)
                for level, text in enumerate(question.levels, start=1)
            )
    return found


def test_the_first_version_is_shipped():
    assert DEFAULT_FRAMEWORK_DIR / "council-digital-maturity-v1.yaml" in FILES


def test_each_file_is_named_after_its_slug_and_version(spec: FrameworkSpec):
    assert DEFAULT_FRAMEWORK_DIR / f"{spec.slug}-v{spec.version}.yaml" in FILES


def test_the_nine_barriers_are_the_dimensions_in_order(spec: FrameworkSpec):
    assert [(d.code, d.name) for d in spec.dimensions] == NINE_BARRIERS
    assert all(d.description for d in spec.dimensions)


def test_every_dimension_has_five_to_seven_questions(spec: FrameworkSpec):
    counts = {d.code: len(d.questions) for d in spec.dimensions}
    assert all(5 <= count <= 7 for count in counts.values()), counts


def test_question_codes_follow_the_pattern_and_their_dimension(spec: FrameworkSpec):
    wrong = [
        question.code
        for dimension in spec.dimensions
        for question in dimension.questions
        if not QUESTION_CODE_RE.match(question.code)
        or not question.code.startswith(f"{dimension.code}-")
    ]
    assert wrong == []
    codes = [question.code for question in spec.questions]
    assert len(codes) == len(set(codes))


def test_no_two_descriptors_of_a_question_are_the_same(spec: FrameworkSpec):
    repeated = [q.code for q in spec.questions if len(set(q.levels)) != 5]
    assert repeated == []


def test_no_descriptor_is_used_twice_in_the_framework(spec: FrameworkSpec):
    used: defaultdict[str, list[str]] = defaultdict(list)
    for code, level, text in descriptors(spec):
        used[text.casefold()].append(f"{code} level {level}")
    assert [places for places in used.values() if len(places) > 1] == []


def test_descriptors_and_statements_are_short(spec: FrameworkSpec):
    long_descriptors = [
        f"{code} level {level} ({len(text)})"
        for code, level, text in descriptors(spec)
        if len(text) > MAX_DESCRIPTOR
    ]
    long_statements = [
        f"{q.code} ({len(q.statement)})" for q in spec.questions if len(q.statement) > MAX_STATEMENT
    ]
    assert long_descriptors == []
    assert long_statements == []


def test_statements_are_in_sentence_case_without_a_full_stop(spec: FrameworkSpec):
    wrong = []
    for question in spec.questions:
        first, *rest = question.statement.split()
        # After the first word, only abbreviations (all capitals) start with a capital.
        title_case = [word for word in rest if word[0].isupper() and not word.isupper()]
        if not first[0].isupper() or title_case or question.statement.endswith("."):
            wrong.append(question.code)
    assert wrong == []


def test_descriptors_are_whole_sentences(spec: FrameworkSpec):
    wrong = [
        f"{code} level {level}"
        for code, level, text in descriptors(spec)
        if not text[0].isupper() or not text.endswith(".")
    ]
    assert wrong == []


def test_every_question_says_what_good_looks_like(spec: FrameworkSpec):
    wrong = [
        q.code
        for q in spec.questions
        if not q.guidance.startswith("What good looks like: ")
        or not 1 <= len(sentences(q.guidance)) <= 4
    ]
    assert wrong == []


def test_no_banned_jargon(spec: FrameworkSpec):
    found = [
        f"{where}: {match.group(0)}"
        for where, text in all_text(spec)
        for match in BANNED.finditer(text)
    ]
    assert found == []


def test_uk_spelling(spec: FrameworkSpec):
    found = [
        f"{where}: {match.group(0)}"
        for where, text in all_text(spec)
        for match in AMERICAN.finditer(text)
    ]
    assert found == []


def test_no_contractions_in_descriptors(spec: FrameworkSpec):
    found = [
        f"{code} level {level}"
        for code, level, text in descriptors(spec)
        if CONTRACTION.search(text.replace("’", "'"))
    ]
    assert found == []


def test_abbreviations_are_spelled_out_where_they_are_used(spec: FrameworkSpec):
    unexplained = []
    for where, text in all_text(spec):
        plain = text.replace("GOV.UK", "")
        for abbreviation in set(re.findall(r"\b[A-Z]{2,}s?\b", plain)):
            if abbreviation in KNOWN_ABBREVIATIONS:
                continue
            if f"({abbreviation})" not in plain:
                unexplained.append(f"{where}: {abbreviation}")
    assert unexplained == []


def test_descriptors_use_short_sentences(spec: FrameworkSpec):
    all_sentences = [s for _, _, text in descriptors(spec) for s in sentences(text)]
    lengths = [len(words(sentence)) for sentence in all_sentences]

    assert sum(lengths) / len(lengths) < MAX_AVERAGE_SENTENCE
    too_long = [s for s, n in zip(all_sentences, lengths, strict=True) if n > MAX_SENTENCE]
    assert too_long == []


def test_replaces_names_a_question_in_the_previous_file(spec: FrameworkSpec):
    earlier = [
        framework_file_read(path=path) for path in FILES if path.name.startswith(f"{spec.slug}-v")
    ]
    earlier = [other for other in earlier if other.version < spec.version]
    replaced = {q.code: q.replaces for q in spec.questions if q.replaces}
    if not earlier:
        assert replaced == {}, "the first version of a framework cannot replace anything"
        return
    previous = max(earlier, key=lambda other: other.version)
    codes = {q.code for q in previous.questions}
    assert {code: old for code, old in replaced.items() if old not in codes} == {}


def test_the_checks_can_fail():
    """The helpers above catch what they are meant to."""
    assert BANNED.search("We will leverage our robust platform")
    assert BANNED.search("Good stakeholder engagement")
    assert not BANNED.search("The council's leaders")
    assert AMERICAN.search("The organization's behavior")
    assert not AMERICAN.search("The organisation's programme")
    assert CONTRACTION.search("Staff don't know")
    assert not CONTRACTION.search("The council's plan")
    assert len(sentences("One two. Three four five! Six?")) == 3
    assert len(words("Data is shared with the NHS, GPs and police.")) == 9
