"""Loading snapshots through the command and the upload page; the audited person look-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.pii import id_number_index
from magnet.apps.common.testing import ZHANG_WEI, write_cast_snapshot
from magnet.apps.feeds.models import Snapshot

pytestmark = pytest.mark.django_db


def _broken(folder: Path) -> Path:
    write_cast_snapshot(folder)
    persons = (folder / "persons.csv").read_text(encoding="utf-8")
    good = ZHANG_WEI.id_number
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    (folder / "persons.csv").write_text(persons.replace(good, bad, 1), encoding="utf-8")
    return folder


def test_command_loads_a_snapshot_and_a_second_load_changes_nothing(tmp_path, capsys, settings):
    folder = write_cast_snapshot(tmp_path / "cast")
    call_command("feeds_load", str(folder))
    out = capsys.readouterr().out
    snapshot = Snapshot.objects.get()
    assert "stored" in out and snapshot.row_counts["persons"] == 3
    assert (Path(settings.MAGNET_DATA_DIR) / "snapshots" / snapshot.id / "persons.parquet").exists()
    call_command("feeds_load", str(folder))
    assert "already stored" in capsys.readouterr().out
    assert Snapshot.objects.count() == 1
    assert AuditEntry.objects.filter(action="feeds.load", result="unchanged").count() == 1


def test_command_refuses_a_bad_snapshot_naming_file_row_column_and_reason(tmp_path, capsys, settings):
    folder = _broken(tmp_path / "bad")
    with pytest.raises(SystemExit) as exit_:
        call_command("feeds_load", str(folder))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "persons.csv row 1 column id_number" in err and "check character" in err
    assert not Snapshot.objects.exists()
    assert not list((Path(settings.MAGNET_DATA_DIR) / "snapshots").glob("*"))
    assert AuditEntry.objects.filter(action="feeds.load", result="rejected").exists()


def test_command_prints_json_when_asked(tmp_path, capsys):
    folder = write_cast_snapshot(tmp_path / "cast")
    call_command("feeds_load", str(folder), "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["created"] is True and body["row_counts"]["social_insurance"] == 18


def _upload(client, folder: Path, names=None):
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(folder.iterdir())
             if names is None or p.name in names]
    return client.post("/console/feeds/upload/", {"files": files})


def _run_worker() -> None:
    """What `db_worker` does in production: run every queued task, here once and in this process."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default", verbosity=0)


# The worker opens and closes its own database connections, as in production: these tests commit for
# real (transaction=True), so that the queued task is visible to it and the page reads its result.
@pytest.mark.django_db(transaction=True)
def test_staff_upload_is_loaded_by_the_background_worker(flushable_audit, client_as, tmp_path, settings):
    from magnet.apps.feeds.models import FeedLoad

    client = client_as("staff")
    response = _upload(client, write_cast_snapshot(tmp_path / "cast"))
    assert response.status_code == 302
    load = FeedLoad.objects.get()
    assert load.status == "queued" and response["Location"] == f"/console/feeds/loads/{load.pk}/"
    assert "hx-trigger=\"every 2s\"" in client.get(response["Location"]).content.decode()
    _run_worker()
    page = client.get(response["Location"]).content.decode()
    assert "已加载" in page and "every 2s" not in page
    snapshot = Snapshot.objects.get()
    assert snapshot.source == "upload" and snapshot.loaded_by == client.user
    assert not any((Path(settings.MAGNET_DATA_DIR) / "uploads").iterdir())


@pytest.mark.django_db(transaction=True)
def test_upload_with_a_bad_row_shows_the_problems_and_keeps_nothing(flushable_audit, client_as, tmp_path, settings):
    client = client_as("staff")
    response = _upload(client, _broken(tmp_path / "bad"))
    _run_worker()
    page = client.get(response["Location"]).content.decode()
    assert "未通过校验" in page
    assert "persons.csv" in page and "id_number" in page and "check character" in page
    assert not Snapshot.objects.exists()
    assert not any((Path(settings.MAGNET_DATA_DIR) / "uploads").iterdir())


def test_another_staff_member_cannot_see_my_upload(client_as, tmp_path):
    from django.test import Client

    from magnet.apps.common.fixtures import make_user, sign_in

    client = client_as("staff")
    location = _upload(client, write_cast_snapshot(tmp_path / "cast"))["Location"]
    other = Client()
    sign_in(other, make_user("staff", username="staff.other"))
    assert other.get(location).status_code == 404


@pytest.mark.parametrize("name", ["../../etc/passwd.csv", "people.csv", "persons.xlsx"])
def test_upload_refuses_files_not_named_for_a_feed(client_as, tmp_path, name):
    client = client_as("staff")
    folder = write_cast_snapshot(tmp_path / "cast")
    files = [SimpleUploadedFile("persons.csv", (folder / "persons.csv").read_bytes()),
             SimpleUploadedFile(name, b"x")]
    response = client.post("/console/feeds/upload/", {"files": files})
    assert response.status_code == 400 and "不是数据接口规定的文件" in response.content.decode()
    assert not Snapshot.objects.exists()


def test_upload_without_persons_is_refused(client_as, tmp_path):
    client = client_as("staff")
    response = _upload(client, write_cast_snapshot(tmp_path / "cast"), names={"education.csv"})
    assert response.status_code == 400 and "persons" in response.content.decode()


def test_person_lookup_is_masked_and_audited_with_the_reason(client_as, cast_snapshot):
    client = client_as("staff")
    page = client.post("/console/feeds/person/", {"id_number": ZHANG_WEI.id_number, "reason": "核对补贴申请"})
    html = page.content.decode()
    assert ZHANG_WEI.name in html and "3206**********" in html
    assert ZHANG_WEI.id_number not in html and ZHANG_WEI.phone not in html
    entry = AuditEntry.objects.get(action="person.view")
    assert entry.reason == "核对补贴申请" and entry.subject_index == id_number_index(ZHANG_WEI.id_number)


def test_reveal_needs_the_permission_and_is_audited(client_as, cast_snapshot):
    from django.contrib.auth.models import Permission

    client = client_as("staff")
    data = {"id_number": ZHANG_WEI.id_number, "reason": "当面核验", "reveal": "on"}
    html = client.post("/console/feeds/person/", data).content.decode()
    assert ZHANG_WEI.id_number not in html and "没有查看完整号码的权限" in html
    assert AuditEntry.objects.filter(action="pii.reveal", result="denied").exists()
    client.user.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    html = client.post("/console/feeds/person/", data).content.decode()
    assert ZHANG_WEI.id_number in html
    assert AuditEntry.objects.filter(action="pii.reveal", result="ok").count() == 1


def test_staff_cannot_see_people_outside_their_districts(client_as, cast_snapshot):
    client = client_as("staff", districts=["3201"])
    html = client.post("/console/feeds/person/", {"id_number": ZHANG_WEI.id_number, "reason": "x"}).content.decode()
    assert "没有找到此人" in html and ZHANG_WEI.name not in html


def test_the_talent_sees_who_looked_at_their_data(client_as, cast_snapshot, client):
    from django.test import Client

    from magnet.apps.accounts.services import talent_create
    from magnet.apps.common.fixtures import sign_in

    staff = client_as("staff")
    staff.post("/console/feeds/person/", {"id_number": ZHANG_WEI.id_number, "reason": "核对补贴申请"})
    talent = talent_create(phone=ZHANG_WEI.phone)
    own = Client()
    sign_in(own, talent)
    own.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number})
    html = own.get("/accounts/access-history/").content.decode()
    assert "核对补贴申请" in html and "staff.test" in html


def test_snapshot_api_for_staff(client_as, cast_snapshot):
    rows = client_as("staff").get("/api/v1/feeds/snapshots").json()
    assert rows[0]["id"] == cast_snapshot.id and rows[0]["row_counts"]["persons"] == 3
