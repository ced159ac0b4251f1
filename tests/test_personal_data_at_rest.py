"""No identity number or phone in plaintext anywhere in the database (DP-1), in the logs (DP-3), or in
the audit log's free text, after the flows that handle them."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.apps import apps
from django.db import connection

from magnet.apps.common.fixtures import make_user, sign_in
from magnet.apps.common.logging import JsonFormatter
from magnet.apps.common.testing import CAST, ZHANG_WEI
from magnet.core.feeds.checks import is_valid_id_number

pytestmark = pytest.mark.django_db

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z+/=])[0-9]{17}[0-9X](?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<![0-9A-Za-z+/=])1[3-9][0-9]{9}(?![0-9A-Za-z])")


def plaintext_hits(text: str) -> list[str]:
    ids = [m for m in ID_PATTERN.findall(text) if is_valid_id_number(m)]
    return ids + PHONE_PATTERN.findall(text)


def _every_stored_value() -> str:
    """Every row of every table the platform owns, as text (what a database dump would show)."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from the ORM)
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def _exercise_the_flows(client, client_as) -> None:
    """Sign in by SMS, bind an identity, look people up as staff with a reason that quotes a number."""
    from magnet.apps.accounts import sms

    client.post("/accounts/login/sms/send/", {"phone": ZHANG_WEI.phone})
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    client.post("/accounts/login/sms/", {"phone": ZHANG_WEI.phone, "code": code})
    client.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number})
    staff = client_as("staff")
    for person in CAST:
        staff.post("/console/feeds/person/", {"id_number": person.id_number,
                                              "reason": f"核对 {person.id_number} 电话 {ZHANG_WEI.phone}"})
    from django.test import Client

    typo = Client()
    typo.post("/accounts/login/password/", {"username": ZHANG_WEI.phone, "password": "wrong-password-1"})
    typo.post("/accounts/login/password/", {"username": ZHANG_WEI.id_number, "password": "wrong-password-1"})


def test_no_plaintext_identity_number_or_phone_in_the_database(client, client_as, cast_snapshot):
    _exercise_the_flows(client, client_as)
    dump = _every_stored_value()
    assert ZHANG_WEI.id_number[:6] in dump or "v1." in dump  # the scan does see the tables
    assert plaintext_hits(dump) == []


def test_no_plaintext_identity_number_or_phone_in_the_logs(client, client_as, cast_snapshot, caplog):
    caplog.set_level(logging.DEBUG)
    _exercise_the_flows(client, client_as)
    formatter = JsonFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    logged += "\n" + "\n".join(json.dumps(record.getMessage(), ensure_ascii=False) for record in caplog.records
                               if record.name.startswith("magnet"))
    assert plaintext_hits(logged) == []


def test_log_records_mask_numbers_even_in_exceptions():
    record = logging.LogRecord("magnet", logging.ERROR, __file__, 1, "lookup of %s failed", (ZHANG_WEI.id_number,),
                               None)
    assert plaintext_hits(JsonFormatter().format(record)) == []


def test_staff_scan_finds_a_planted_number():
    """The scan itself works: a plaintext number planted in a table is found."""
    make_user("enterprise", username="hr.plant", display_name=ZHANG_WEI.id_number)
    assert ZHANG_WEI.id_number in plaintext_hits(_every_stored_value())


def test_identity_numbers_are_never_in_the_talent_pages(client, cast_snapshot):
    from magnet.apps.accounts.services import talent_create

    talent = talent_create(phone=ZHANG_WEI.phone)
    sign_in(client, talent)
    client.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number})
    for page in ["/talent/", "/accounts/identity/", "/accounts/access-history/", "/api/v1/me"]:
        assert plaintext_hits(client.get(page).content.decode()) == [], page
