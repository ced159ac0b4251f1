"""Postings: the shipyard's HR posts a job (majors from the MOE catalogue, the chain from the feed); bad input
is refused with the field named; discriminatory wording waits for staff review; jobs close and expire."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import make_user
from magnet.apps.inbox.models import Notification
from magnet.apps.matching import services
from magnet.apps.matching.forms import JobForm
from magnet.apps.matching.models import Job
from magnet.apps.matching.tests.matching_cast import form_post, job_data, other_enterprise_user, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(client_as, cast_snapshot):
    return client_as("enterprise")


def test_hr_posts_a_job_through_the_form_and_publishes_it(hr):
    response = hr.post("/hiring/new/", {**form_post(majors=["0809", "080901", "08"]), "publish": "1"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hiring/{job.pk}/"
    assert job.status == Job.Status.PUBLISHED and job.published_at is not None
    assert job.majors == ["0809", "080901", "08"] and job.skills == ["Java", "SQL"]
    # The chain and the key-enterprise flag come from the shipyard's row in the enterprises feed, not its record.
    assert job.enterprise.industry_chain == ""
    assert (job.chain, job.key_enterprise) == ("shipbuilding_offshore", True)
    page = hr.get(f"/hiring/{job.pk}/").content.decode()
    assert "招聘中" in page and "计算机类（专业类）" in page and "工学（学科门类，全部专业）" in page
    assert AuditEntry.objects.filter(action="matching.job_publish", object_id=str(job.pk), result="published").exists()


def test_a_draft_is_saved_without_publishing(hr):
    hr.post("/hiring/new/", {**form_post(), "draft": "1"})
    assert Job.objects.get().status == Job.Status.DRAFT


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("title", "请填写岗位名称"),
        ("description", "请填写岗位描述"),
        ("adcode", "请从行政区划中选择工作地点"),
        ("pay_min", "请填写月薪下限"),
        ("pay_max", "请填写月薪上限"),
        ("headcount", "请填写招聘人数"),
        ("deadline", "请填写截止日期"),
    ],
)
def test_a_posting_without_a_required_field_is_refused_naming_it(hr, missing, message):
    data = form_post()
    del data[missing]
    response = hr.post("/hiring/new/", {**data, "publish": "1"})
    assert response.status_code == 200 and not Job.objects.exists()
    assert list(response.context["form"].errors) == [missing]
    assert message in response.content.decode()
    assert f'id="id_{missing}_error"' in response.content.decode()


def test_an_unknown_major_code_is_refused_naming_it(hr):
    response = hr.post("/hiring/new/", {**form_post(majors=["0809", "089999", "0899"]), "publish": "1"})
    assert not Job.objects.exists()
    errors = response.context["form"].errors
    assert list(errors) == ["majors"] and "089999、0899" in errors["majors"][0]
    assert "不在教育部本科专业目录中" in response.content.decode()


def test_an_impossible_pay_range_is_refused_naming_the_field(hr):
    response = hr.post("/hiring/new/", form_post(pay_min=20000, pay_max=8000))
    assert response.context["form"].errors == {"pay_max": ["月薪上限不能低于下限（20000 元）。"]}
    form = JobForm(form_post(pay_min=0))
    assert not form.is_valid() and list(form.errors) == ["pay_min"]
    form = JobForm(form_post(pay_max=5_000_000))
    assert not form.is_valid() and list(form.errors) == ["pay_max"]
    assert not Job.objects.exists()


def test_other_bad_input_names_its_field(hr):
    for overrides, field in [
        ({"adcode": "999999"}, "adcode"),
        ({"deadline": dt.date(2020, 1, 1)}, "deadline"),
        ({"min_degree": "phd"}, "min_degree"),
        ({"headcount": 0}, "headcount"),
    ]:
        form = JobForm(form_post(**overrides))
        assert not form.is_valid() and list(form.errors) == [field], overrides


def test_major_codes_are_read_as_the_catalogue_prints_them(db):
    form = JobForm(form_post(majors=["080910T", "080901", "0809", "08", "08"]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["majors"] == ["080910", "080901", "0809", "08"]


def test_the_api_refuses_bad_postings_with_the_fields_named(hr):
    body = {**job_data(pay_min=20000, pay_max=8000, majors=["123456"]), "title": ""}
    body["deadline"] = body["deadline"].isoformat()
    response = hr.post("/api/v1/matching/jobs", body, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "job_invalid"
    assert set(error["extra"]["fields"]) == {"title", "majors", "pay_max"}
    body = {**job_data(), "publish": True}
    body["deadline"] = body["deadline"].isoformat()
    response = hr.post("/api/v1/matching/jobs", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "published"


@pytest.mark.parametrize("words", ["限男性", "仅招本地户口", "年龄35岁以下", "未婚，身高165以上"])
def test_a_discriminatory_posting_waits_for_staff_review(hr, words):
    job = publish(hr.user, description=f"负责生产管理系统开发。{words}。")
    assert job.status == Job.Status.REVIEW and job.published_at is None
    assert job.flags and all(f["text"] in job.description for f in job.flags)
    assert hr.get("/jobs/").status_code == 403  # (the HR is not a talent)


def test_staff_approve_or_send_back_a_held_posting_and_the_enterprise_is_told(hr, client):
    held = publish(hr.user, title="焊接工艺技术员", description="负责焊接工艺。限男性。")
    again = publish(hr.user, title="质检员", description="负责检验。35岁以下。")
    staff = make_user("staff")
    queue = [j.pk for j in services.jobs.Job.objects.filter(status="review")]
    assert sorted(queue) == sorted([held.pk, again.pk])
    with pytest.raises(DomainError) as refused:
        services.job_review(job=held, reviewer=staff, approve=False, note="")
    assert refused.value.code == "note_required"
    services.job_review(job=held, reviewer=staff, approve=False, note="删去“限男性”")
    services.job_review(job=again, reviewer=staff, approve=True, note="岗位涉及特殊工种，经核实年龄要求合法")
    held.refresh_from_db()
    again.refresh_from_db()
    assert held.status == Job.Status.DRAFT and held.review_note == "删去“限男性”"
    assert again.status == Job.Status.PUBLISHED and again.reviewed_by == staff
    texts = list(Notification.objects.filter(user=hr.user, kind="job_review").values_list("text", flat=True))
    assert any("未通过审核" in t and "删去" in t for t in texts) and any("已通过审核" in t for t in texts)
    assert AuditEntry.objects.filter(action="matching.job_review", result="rejected", object_id=str(held.pk)).exists()


def test_the_moderation_queue_pages(hr, client_as):
    held = publish(hr.user, description="负责焊接。限男性，已婚已育。")
    staff = client_as("staff")
    page = staff.get("/console/jobs/").content.decode()
    assert held.title in page and "<mark>限男性</mark>" in page
    detail = staff.get(f"/console/jobs/{held.pk}/").content.decode()
    assert "<mark>限男性</mark>" in detail and "<mark>已婚已育</mark>" in detail and "婚育状况" in detail
    response = staff.post(f"/console/jobs/{held.pk}/decide/", {"decision": "reject", "note": ""})
    assert response.status_code == 200 and "退回时请写明需要修改的内容" in response.content.decode()
    response = staff.post(f"/console/jobs/{held.pk}/decide/", {"decision": "reject", "note": "删去性别和婚育要求"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Job.Status.DRAFT


def test_only_drafts_change_and_a_published_job_closes(hr):
    job = publish(hr.user)
    with pytest.raises(DomainError) as refused:
        services.job_save(actor=hr.user, data={"title": "改名"}, job=job)
    assert refused.value.code == "job_not_draft"
    response = hr.post(f"/hiring/{job.pk}/close/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED


def test_another_enterprise_can_neither_see_nor_change_the_job(hr, client):
    job = publish(hr.user)
    other = other_enterprise_user()
    client.force_login(other, backend="magnet.apps.accounts.backends.RoleAwareModelBackend")
    for url in [f"/hiring/{job.pk}/", f"/hiring/{job.pk}/edit/", f"/hiring/{job.pk}/candidates/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/hiring/{job.pk}/close/").status_code == 404
    assert job.title not in client.get("/hiring/").content.decode()
    with pytest.raises(DomainError):
        services.job_close(job=job, actor=other)


def test_jobs_past_their_deadline_expire(hr):
    job = publish(hr.user, deadline=timezone.localdate())
    assert services.jobs_expire(today=timezone.localdate()) == 0
    assert services.jobs_expire(today=timezone.localdate() + dt.timedelta(days=1)) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.EXPIRED


def test_publishing_queues_the_expiry_for_the_day_after_the_deadline(hr, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        job = publish(hr.user)
    queued = DBTaskResult.objects.get(task_path="magnet.apps.matching.tasks.job_expire_task")
    assert queued.args_kwargs["args"] == [job.pk]
    assert timezone.localtime(queued.run_after).date() == job.deadline + dt.timedelta(days=1)


def test_a_draft_is_edited_with_its_majors_and_place_shown_again(hr):
    job = services.job_save(actor=hr.user, data=job_data(majors=["0809", "080910"]))
    page = hr.get(f"/hiring/{job.pk}/edit/").content.decode()
    assert 'name="majors" value="0809" checked' in page and "数据科学与大数据技术（080910T）" in page
    assert 'name="adcode" value="320613"' in page and "江苏省南通市崇川区" in page
    response = hr.post(f"/hiring/{job.pk}/edit/", {**form_post(majors=["0809"]), "title": "Java开发工程师"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.title == "Java开发工程师" and job.majors == ["0809"] and job.status == Job.Status.DRAFT


def test_the_major_picker_offers_disciplines_classes_and_majors(hr):
    page = hr.get("/hiring/pick/majors/", {"q": "0809"}).content.decode()
    assert (
        "工学（学科门类，全部专业）" in page and "计算机类（专业类）" in page and "计算机科学与技术（080901）" in page
    )
    page = hr.get("/hiring/pick/majors/", {"q": "船舶"}).content.decode()
    assert "船舶与海洋工程（081901）" in page
    chosen = hr.get("/hiring/pick/majors/choose/", {"code": "080910T"}).content.decode()
    assert 'value="080910" checked' in chosen
    assert hr.get("/hiring/pick/majors/choose/", {"code": "999999"}).content.decode().strip() == ""
