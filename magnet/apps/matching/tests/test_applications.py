"""Zhang Wei applies to the shipyard's job; the shipyard opens the application (he is told), invites him to
an interview, and they exchange messages, each side notified. Another enterprise sees none of it."""

from __future__ import annotations

import pytest

from magnet.apps.accounts.services import talent_create
from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import make_user, sign_in
from magnet.apps.inbox.models import Notification
from magnet.apps.matching import services
from magnet.apps.matching.models import Application, Job
from magnet.apps.matching.tests.matching_cast import other_enterprise_user, publish, zhang_wei

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipyard(cast_snapshot):
    return make_user("enterprise")


@pytest.fixture
def job(shipyard):
    return publish(shipyard)


def test_a_talent_applies_once_and_the_enterprise_is_told(client, shipyard, job):
    talent = zhang_wei()
    sign_in(client, talent)
    response = client.post(f"/jobs/{job.pk}/apply/", {"note": "我熟悉Java。"})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/applications/{application.pk}/"
    assert application.status == "applied" and application.note == "我熟悉Java。" and application.score > 0
    note = Notification.objects.get(user=shipyard, kind="application_new")
    assert "张伟" in note.text and note.link == f"/hiring/applications/{application.pk}/"
    assert AuditEntry.objects.filter(action="matching.apply", object_id=str(application.pk)).exists()
    client.post(f"/jobs/{job.pk}/apply/")
    assert Application.objects.count() == 1
    with pytest.raises(DomainError) as refused:
        services.application_create(job=job, talent=talent)
    assert refused.value.code == "already_applied"


def test_a_closed_job_takes_no_applications(shipyard, job):
    services.job_close(job=job, actor=shipyard)
    with pytest.raises(DomainError) as refused:
        services.application_create(job=Job.objects.get(pk=job.pk), talent=zhang_wei())
    assert refused.value.code == "job_not_open"


def test_the_enterprise_opens_and_moves_the_application_and_the_talent_is_told(client, shipyard, job):
    talent = zhang_wei()
    application = services.application_create(job=job, talent=talent)
    sign_in(client, shipyard)
    page = client.get(f"/hiring/applications/{application.pk}/").content.decode()
    assert "张伟" in page and "南京大学" in page and "Java" in page and "邀请面试" in page
    application.refresh_from_db()
    assert application.status == "viewed"
    assert Notification.objects.filter(user=talent, kind="application_status", text__contains="已查看").exists()
    assert AuditEntry.objects.filter(action="matching.application_view", object_id=str(application.pk)).exists()
    response = client.post(f"/hiring/applications/{application.pk}/status/", {"status": "interview"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "interview"
    told = Notification.objects.filter(user=talent, kind="application_status").first()
    assert "邀请面试" in told.text and told.link == f"/jobs/applications/{application.pk}/"
    # Moves follow the workflow: no hiring straight from an interview, nothing after a decline.
    with pytest.raises(DomainError) as refused:
        services.application_move(application=application, actor=shipyard, status="hired")
    assert refused.value.code == "bad_move"
    services.application_move(application=application, actor=shipyard, status="offer")
    services.application_move(application=application, actor=shipyard, status="hired")
    assert services.MOVES["hired"] == ()


def test_messages_go_both_ways_and_each_side_is_notified(client, shipyard, job):
    talent = zhang_wei()
    application = services.application_create(job=job, talent=talent)
    sign_in(client, talent)
    response = client.post(
        f"/jobs/applications/{application.pk}/", {"text": "请问面试在哪里？"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "请问面试在哪里？" in response.content.decode()
    assert Notification.objects.filter(user=shipyard, kind="message").exists()
    client.logout()
    sign_in(client, shipyard)
    response = client.post(
        f"/hiring/applications/{application.pk}/messages/",
        {"text": "在崇川区总部三楼。"},
        headers={"HX-Request": "true"},
    )
    assert "在崇川区总部三楼。" in response.content.decode()
    assert Notification.objects.filter(user=talent, kind="message", link=f"/jobs/applications/{application.pk}/")
    assert list(application.messages.values_list("text", flat=True)) == ["请问面试在哪里？", "在崇川区总部三楼。"]
    response = client.post(
        f"/hiring/applications/{application.pk}/messages/", {"text": "  "}, headers={"HX-Request": "true"}
    )
    assert "请输入消息内容" in response.content.decode() and application.messages.count() == 2


def test_another_enterprise_never_sees_the_applicants(client, shipyard, job):
    application = services.application_create(job=job, talent=zhang_wei())
    other = other_enterprise_user()
    sign_in(client, other)
    assert client.get(f"/hiring/applications/{application.pk}/").status_code == 404
    assert client.post(f"/hiring/applications/{application.pk}/status/", {"status": "interview"}).status_code == 404
    assert client.post(f"/hiring/applications/{application.pk}/messages/", {"text": "你好"}).status_code == 404
    assert "张伟" not in client.get("/hiring/applications/").content.decode()
    assert "张伟" not in client.get(f"/hiring/applications/?job={job.pk}").content.decode()
    assert client.get(f"/api/v1/matching/jobs/{job.pk}/candidates").status_code == 404
    for action in (
        lambda: services.application_open(application=application, actor=other),
        lambda: services.application_move(application=application, actor=other, status="interview"),
        lambda: services.message_send(application=application, sender=other, text="你好"),
    ):
        with pytest.raises(DomainError):
            action()
    application.refresh_from_db()
    assert application.status == "applied" and not application.messages.exists()


def test_a_talent_sees_only_their_own_applications(client, shipyard, job):
    application = services.application_create(job=job, talent=zhang_wei())
    other = talent_create(phone="13700000077")
    sign_in(client, other)
    assert client.get(f"/jobs/applications/{application.pk}/").status_code == 404
    assert job.title not in client.get("/jobs/applications/").content.decode()
