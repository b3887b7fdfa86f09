"""Each email in its reader's language, whoever's request or job queues it: the outbox renders
the subject and both bodies inside translation.override(recipient.language), against a real SMTP
server. (The Welsh comes from locale/cy/LC_MESSAGES/django.mo.)"""

import datetime

import pytest
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from core.formatting import lazy_date, lazy_format
from notifications.services import email_queue

with translation.override("cy"):
    # The month's name comes from Django's own Welsh catalogue.
    JULY_10 = formats.date_format(datetime.date(2026, 7, 10), "j F Y")

pytestmark = pytest.mark.django_db(transaction=True)


def queue(person, **extra) -> bool:
    """One email as a caller should write it: its words unworked (lazy) until the outbox
    renders them for this reader."""
    with transaction.atomic():
        return email_queue(
            key="languages:1",
            to=person,
            subject=lazy_format(
                _("Due on %(due)s: an action in %(council)s's improvement plan"),
                due=lazy_date(datetime.date(2026, 7, 10)),
                council="Hartlepool",
            ),
            template="assessment_notice",
            context={
                "heading": _("Update your action"),
                "paragraphs": [],
                "quote": "",
                "items": [],
                "link_text": _("Update your action"),
                "link_url": "http://127.0.0.1:8000/plans/",
            },
            **extra,
        )


def test_a_welsh_speaker_reads_welsh_and_an_english_one_english(smtp_server, personas):
    personas.officer_a.language = "cy"
    personas.officer_a.save()
    personas.lead_a.language = "en-gb"
    personas.lead_a.save()

    # Queued from a Welsh request (the lead's email must still be English), then an English one.
    with translation.override("cy"):
        queue(personas.lead_a)
    with translation.override("en-gb"):
        queue(personas.officer_a, reminder=True)

    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    welsh = messages["officer.a@hartlepool.example"]
    assert welsh["Subject"] == f"Erbyn {JULY_10}: cam gweithredu yng nghynllun gwella Hartlepool"
    text = welsh.get_body(("plain",)).get_content()
    html = welsh.get_body(("html",)).get_content()
    assert "Porth Aeddfedrwydd Digidol Cynghorau" in text
    assert "Nodyn atgoffa yw hwn. I atal e-byst atgoffa, newidiwch eich gosodiadau:" in text
    assert "Diweddaru eich cam gweithredu" in text
    assert '<html lang="cy">' in html
    assert "atal e-byst atgoffa</a> yng ngosodiadau eich cyfrif" in html
    assert "improvement plan" not in text and "reminder" not in text

    english = messages["lead.a@hartlepool.example"]
    assert english["Subject"] == "Due on 10 July 2026: an action in Hartlepool's improvement plan"
    text = english.get_body(("plain",)).get_content()
    html = english.get_body(("html",)).get_content()
    assert "Council Digital Maturity Portal" in text
    assert "You get this email because of your role in your council's digital maturity" in text
    assert "Update your action" in text
    assert '<html lang="en">' in html
    assert "Porth" not in text and JULY_10 not in text


def test_someone_who_never_chose_reads_the_portals_language(smtp_server, personas):
    assert personas.executive_a.language == ""
    with translation.override("cy"):
        queue(personas.executive_a)

    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Due on 10 July 2026: an action in Hartlepool's improvement plan"
