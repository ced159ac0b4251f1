"""Policy versions: drafted and checked as they are typed, submitted, approved by someone else with a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import make_user
from magnet.apps.radar import selectors, services
from magnet.apps.radar.models import PolicyVersion
from magnet.apps.radar.tests.radar_cast import replaced
from magnet.core.radar import Month

pytestmark = pytest.mark.django_db


def living_text() -> str:
    return selectors.repository_files("demo")["living_subsidy.yaml"]


def reworded() -> str:
    """A change that keeps every case passing: the source of a parameter."""
    return replaced(living_text(), ("condition 4 (within five years)", "condition 4 (within five years), 2024 notice"))


@pytest.fixture
def author(db):
    return make_user("staff", username="staff.author")


@pytest.fixture
def approver(db):
    return make_user("staff", username="staff.approver")


def submitted(author, text: str) -> PolicyVersion:
    version = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=text)
    return services.policy_version_submit(version=version, actor=author)


def test_a_draft_is_checked_submitted_and_approved_by_another_staff_member(author, approver):
    version = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=reworded(),
                                           note="参数来源更新")  # fmt: skip
    assert version.number == 2 and version.status == "draft"
    assert version.valid and version.cases_passed and len(version.cases_report) >= 5
    assert all(c["passed"] for c in version.cases_report)
    services.policy_version_submit(version=version, actor=author)
    approved = services.policy_version_approve(version=version, approver=approver,
                                               effective_from=dt.date(2030, 1, 1), reason="同意")  # fmt: skip
    assert approved.status == "approved" and approved.decided_by == approver
    # In force from its date on, not before: the published book of each month says which.
    assert selectors.published_files("demo", Month(2030, 1))["living_subsidy.yaml"] == reworded()
    assert selectors.published_files("demo", Month(2029, 12))["living_subsidy.yaml"] == living_text()
    actions = list(
        AuditEntry.objects.filter(object_type="policy_version").order_by("id").values_list("action", "actor_username")
    )
    assert actions == [("radar.version.save", "staff.author"), ("radar.version.submit", "staff.author"),
                       ("radar.version.approve", "staff.approver")]  # fmt: skip
    second = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=reworded())
    assert second.number == 3


def test_nobody_approves_their_own_draft(author):
    version = submitted(author, reworded())
    with pytest.raises(DomainError) as refused:
        services.policy_version_approve(version=version, approver=author, effective_from=dt.date(2030, 1, 1))
    assert refused.value.code == "self_approval"
    version.refresh_from_db()
    assert version.status == "draft"


def test_the_database_refuses_a_self_approval_too(author):
    version = submitted(author, reworded())
    version.status, version.decided_by, version.effective_from = "approved", author, dt.date(2030, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        version.save()


def test_approval_needs_an_effective_date(author, approver):
    version = submitted(author, reworded())
    with pytest.raises(DomainError) as refused:
        services.policy_version_approve(version=version, approver=approver, effective_from=None)
    assert refused.value.code == "effective_date_required"


def test_an_invalid_draft_names_line_and_column_and_can_never_be_approved(author, approver):
    text = replaced(living_text(), ("when: highest_degree is not null", "when: highest_degre is not null"))
    version = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=text)
    assert not version.valid and not version.cases_passed
    problem = version.problems[0]
    line = text.splitlines().index("    when: highest_degre is not null") + 1
    assert (problem["file"], problem["line"], problem["column"]) == ("living_subsidy.yaml", line, 11)
    assert problem["suggestion"] == "highest_degree"
    with pytest.raises(DomainError) as refused:
        services.policy_version_submit(version=version, actor=author)
    assert refused.value.code == "version_invalid"
    PolicyVersion.objects.filter(pk=version.pk).update(submitted_at=dt.datetime.now(dt.UTC))  # forced past the check
    version.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.policy_version_approve(version=version, approver=approver, effective_from=dt.date(2030, 1, 1))
    assert refused.value.code == "version_invalid"
    assert PolicyVersion.objects.get(pk=version.pk).status == "draft"
    assert selectors.published_files("demo", Month(2030, 1))["living_subsidy.yaml"] == living_text()


def test_a_draft_whose_cases_fail_cannot_be_approved(author, approver):
    text = replaced(living_text(), ("value: 800,", "value: 1000,"))
    version = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=text)
    assert version.valid and not version.cases_passed
    failed = [c for c in version.cases_report if not c["passed"]]
    assert failed and "expected 800.00, got 1000.00" in failed[0]["difference"]
    with pytest.raises(DomainError) as refused:
        services.policy_version_submit(version=version, actor=author)
    assert refused.value.code == "cases_failed"
    PolicyVersion.objects.filter(pk=version.pk).update(submitted_at=dt.datetime.now(dt.UTC))
    version.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.policy_version_approve(version=version, approver=approver, effective_from=dt.date(2030, 1, 1))
    assert refused.value.code == "cases_failed"


def test_a_rejection_needs_a_reason_and_only_the_author_edits_or_withdraws(author, approver):
    version = submitted(author, reworded())
    with pytest.raises(DomainError) as refused:
        services.policy_version_reject(version=version, approver=approver, reason=" ")
    assert refused.value.code == "reason_required"
    with pytest.raises(DomainError) as refused:
        services.policy_version_save(actor=approver, book="demo", policy="living_subsidy", text="x", version=version)
    assert refused.value.code == "not_the_author"
    rejected = services.policy_version_reject(version=version, approver=approver, reason="依据文件未更新")
    assert rejected.status == "rejected"
    assert AuditEntry.objects.filter(action="radar.version.reject", reason="依据文件未更新").exists()
    draft = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=reworded())
    assert services.policy_version_withdraw(version=draft, actor=author).status == "withdrawn"


def test_saving_again_clears_the_submission(author):
    version = submitted(author, reworded())
    again = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=reworded(),
                                         version=version)  # fmt: skip
    assert again.pk == version.pk and not again.submitted


# ------------------------------------------------------------------------------------------- pages


def test_the_editor_checks_as_you_type(client_as):
    client = client_as("staff")
    page = client.get("/console/radar/books/demo/living_subsidy/draft/").content.decode()
    assert 'hx-post="/console/radar/books/demo/living_subsidy/validate/"' in page
    assert 'hx-trigger="keyup changed delay:500ms, change"' in page and "青年人才生活补贴" in page
    text = replaced(living_text(), ("when: highest_degree is not null", "when: highest_degre is not null"))
    fragment = client.post("/console/radar/books/demo/living_subsidy/validate/", {"text": text},
                           HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    line = text.splitlines().index("    when: highest_degre is not null") + 1
    assert f"living_subsidy.yaml:{line}:11" in fragment and "highest_degree" in fragment
    fragment = client.post("/console/radar/books/demo/living_subsidy/validate/", {"text": reworded()}).content.decode()
    assert "测试用例全部通过" in fragment and "✓" in fragment
    assert not PolicyVersion.objects.exists()  # checking saves nothing


def test_the_version_pages_walk_the_four_eyes_workflow(client_as, client):
    author = client_as("staff")
    response = author.post("/console/radar/books/demo/living_subsidy/draft/", {"text": reworded(), "note": "来源"})
    version = PolicyVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/radar/versions/{version.pk}/"
    page = author.get(response["Location"]).content.decode()
    assert "提交审批" in page and 'id="approve"' not in page
    author.post(f"/console/radar/versions/{version.pk}/submit/")
    response = author.post(f"/console/radar/versions/{version.pk}/approve/", {"effective_from": "2030-01-01"})
    assert "不能审批自己起草的版本" in author.get(response["Location"]).content.decode()
    author.logout()

    from magnet.apps.common.fixtures import sign_in

    sign_in(client, make_user("staff", username="staff.second"))
    page = client.get(f"/console/radar/versions/{version.pk}/").content.decode()
    assert 'id="approve"' in page and 'id="reject"' in page
    assert "待审批" in client.get("/console/radar/").content.decode()
    client.post(f"/console/radar/versions/{version.pk}/approve/", {"effective_from": "2030-01-01", "reason": "同意"})
    version.refresh_from_db()
    assert version.status == "approved" and version.decided_by.username == "staff.second"
    policy_page = client.get("/console/radar/books/demo/living_subsidy/").content.decode()
    assert f'href="/console/radar/versions/{version.pk}/"' in policy_page and "2030-01-01" in policy_page
    edit = client.get(f"/console/radar/versions/{version.pk}/edit/")
    assert edit.status_code == 302


def test_the_index_lists_every_policy_with_its_cases(client_as):
    page = client_as("staff").get("/console/radar/").content.decode()
    for policy in selectors.published_book("demo").policies:
        assert f"/console/radar/books/demo/{policy.id}/" in page
    assert "✓" in page and "/console/radar/runs/" in page and "/console/radar/explain/" in page
    nav = page.split("</nav>")[0]
    assert 'href="/console/radar/"' in nav and "政策找人" in nav


def test_unknown_books_and_policies_are_not_found(client_as):
    client = client_as("staff")
    assert client.get("/console/radar/books/demo/free_lunch/").status_code == 404
    assert client.get("/console/radar/books/atlantis/living_subsidy/draft/").status_code == 404
    assert client.get("/console/radar/versions/999/").status_code == 404
