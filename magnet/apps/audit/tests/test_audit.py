"""The audit log is append-only, hash-chained and searchable by auditors only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from magnet.apps.audit.models import AppendOnlyError, AuditEntry
from magnet.apps.audit.services import audit_chain_verify, audit_record
from magnet.apps.common.fixtures import make_user

pytestmark = pytest.mark.django_db


def _entries(n: int = 3) -> list[AuditEntry]:
    return [audit_record(action="test.event", object_id=str(i)) for i in range(n)]


def test_entries_are_chained_and_the_chain_verifies():
    entries = _entries()
    assert entries[1].prev_hash == entries[0].hash
    assert audit_chain_verify().ok


def test_model_refuses_changes_and_deletion():
    entry = _entries(1)[0]
    entry.reason = "edited"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_database_refuses_update_and_delete_even_through_raw_sql():
    _entries(1)
    for sql in ["UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry"]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.count() == 1


def test_queryset_delete_and_update_are_refused():
    _entries(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().update(reason="x")
    with pytest.raises((DatabaseError, AppendOnlyError)), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 2


def _tamper(entry_id: int) -> None:
    """Edit one row behind the application's back, as a database superuser could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change")
            cursor.execute("UPDATE audit_auditentry SET reason = 'forged' WHERE id = %s", [entry_id])
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_change")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("UPDATE audit_auditentry SET reason = 'forged' WHERE id = %s", [entry_id])


def test_verification_finds_the_first_edited_entry():
    entries = _entries(5)
    _tamper(entries[2].id)
    report = audit_chain_verify()
    assert not report.ok and report.first_broken_id == entries[2].id and report.checked == 2


def test_auditor_searches_and_verifies_the_log(client_as):
    _entries(3)
    client = client_as("auditor")
    page = client.get("/console/audit/", {"action": "test."}).content.decode()
    assert "test.event" in page
    assert "完整" in client.get("/console/audit/verify/").content.decode()


def test_search_by_identity_number_uses_the_blind_index_and_is_itself_audited(client_as):
    from magnet.apps.common.pii import id_number_index
    from magnet.apps.common.testing import ZHANG_WEI

    audit_record(action="person.view", subject_index=id_number_index(ZHANG_WEI.id_number))
    client = client_as("auditor")
    page = client.get("/console/audit/", {"id_number": ZHANG_WEI.id_number}).content.decode()
    assert "person.view" in page
    assert ZHANG_WEI.id_number not in "".join(AuditEntry.objects.values_list("detail", flat=True).__repr__())
    assert AuditEntry.objects.filter(action="audit.search_by_id").exists()


def test_no_role_can_edit_entries_in_the_admin(client_as, settings):
    from django.contrib.auth.models import Permission

    entry = _entries(1)[0]
    client = client_as("admin")
    client.user.user_permissions.add(*Permission.objects.filter(content_type__app_label="audit"))
    base = "/" + settings.MAGNET_ADMIN_PATH + "audit/auditentry/"
    assert client.get(base).status_code == 200
    assert client.post(f"{base}{entry.id}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_failed_audit_write_fails_the_action(monkeypatch, client):
    """Sensitive actions fail closed: no sign-in without its audit record (LG-3)."""
    from magnet.apps.accounts import services

    make_user("enterprise", username="hr.two")

    def broken(**kwargs):
        raise DatabaseError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(DatabaseError):
        client.post("/accounts/login/password/", {"username": "hr.two", "password": "a-long-test-password-42"})
