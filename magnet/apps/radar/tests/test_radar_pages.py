"""Run pages, results filtered by policy and district, the explanation page (audited) and the API."""

from __future__ import annotations

import pytest

from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.pii import id_number_index
from magnet.apps.common.testing import LI_NA, ZHANG_WEI, write_cast_snapshot
from magnet.apps.radar import services
from magnet.apps.radar.models import Run
from magnet.apps.radar.tests.radar_cast import CHEN_JING, MONTH, load, write_radar_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(tmp_path):
    return load(write_radar_snapshot(tmp_path / "radar-cast"))


def wrong_check_character(id_number: str) -> str:
    return id_number[:17] + ("0" if id_number[17] != "0" else "1")


def done_run(client, snapshot, **kwargs) -> Run:
    run = services.radar_run_start(actor=client.user, snapshot=snapshot, month=MONTH, **kwargs)
    services.radar_run_perform(run_id=str(run.pk))
    run.refresh_from_db()
    return run


def test_the_new_run_form_offers_the_policies_the_snapshot_can_serve(client_as, tmp_path):
    cast = load(write_cast_snapshot(tmp_path / "cast"))
    client = client_as("staff")
    page = client.get("/console/radar/runs/").content.decode()
    assert cast.short_id in page and 'name="month"' in page
    fragment = client.get("/console/radar/runs/policies/", {"snapshot": cast.pk, "month": MONTH,
                                                            "book": "demo"}).content.decode()  # fmt: skip
    assert 'value="living_subsidy" checked' in fragment
    assert 'value="rent_subsidy">' in fragment and "快照缺少 property" in fragment
    response = client.post("/console/radar/runs/", {"snapshot": cast.pk, "month": MONTH, "book": "demo",
                                                    "policies": ["living_subsidy", "skill_subsidy"]})  # fmt: skip
    assert response.status_code == 400
    assert "skill_subsidy needs skill_certs" in response.content.decode() and not Run.objects.exists()
    response = client.post("/console/radar/runs/", {"snapshot": cast.pk, "month": "2022-6", "book": "demo"})
    assert response.status_code == 400 and "YYYY-MM" in response.content.decode()


def test_the_run_page_shows_totals_comparison_and_masked_results_filtered(client_as, snapshot):
    client = client_as("staff")
    run = done_run(client, snapshot)
    page = client.get(f"/console/radar/runs/{run.pk}/").content.decode()
    assert "every 1s" not in page and 'id="totals"' in page and "4,560.00" in page
    assert "其他（不在本市）" in page and "这是该手册本月的第一次筛查" in page
    assert ZHANG_WEI.id_number not in page and CHEN_JING.id_number not in page
    assert page.count("3206**********") >= 4
    fragment = client.get(
        f"/console/radar/runs/{run.pk}/results/", {"policy": "living_subsidy", "district": "320613"}
    ).content.decode()
    assert "共 1 条" in fragment and "320613" in fragment and "800.00" in fragment
    assert "1500.00" not in fragment and "1,500.00" not in fragment
    assert client.get(f"/console/radar/runs/{run.pk}/results/", {"policy": "nonsense"}).status_code == 200


def test_the_comparison_links_to_the_people_who_changed(client_as, snapshot):
    client = client_as("staff")
    done_run(client, snapshot, policies=["living_subsidy"])
    second = done_run(client, snapshot, policies=["living_subsidy", "flexible_insurance_subsidy"])
    page = client.get(f"/console/radar/runs/{second.pk}/").content.decode()
    assert 'id="comparison"' in page and "与上一次结果相同" in page  # the same living subsidy; flexible not compared
    assert client.get(f"/console/radar/runs/{second.pk}/changes/").status_code == 404  # nothing changed, no file


def test_a_failed_run_shows_the_reason_and_offers_a_rerun(client_as, tmp_path):
    from magnet.apps.radar import selectors

    client = client_as("staff")
    cast = load(write_cast_snapshot(tmp_path / "cast"))
    run = Run.objects.create(book="demo", book_version="x", book_files=selectors.published_files("demo"),
                             snapshot=cast, month=MONTH, created_by=client.user)  # fmt: skip
    services.radar_run_perform(run_id=str(run.pk))
    page = client.get(f"/console/radar/runs/{run.pk}/").content.decode()
    assert "rent_subsidy needs property" in page and "重新运行" in page
    response = client.post(f"/console/radar/runs/{run.pk}/retry/")
    assert response.status_code == 302 and Run.objects.count() == 2


def test_the_explanation_page_is_audited_with_the_masked_number(client_as, snapshot):
    client = client_as("staff")
    page = client.post(
        "/console/radar/explain/",
        {"id_number": ZHANG_WEI.id_number, "month": MONTH, "snapshot": snapshot.pk, "book": "demo", "reason": "核对"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and ZHANG_WEI.id_number not in html
    assert "3206**********1311" in html or "3206**********" in html
    assert "当月1日未超过年龄上限" in html and "under the age limit on the first day of the month" in html
    assert "✓ 满足" in html and "✗ 不满足" in html  # living subsidy passes; flexible insurance does not
    assert "rate_bachelor_double_first_class" in html and "policy-book.md living_subsidy, Amount" in html
    from magnet.apps.radar import selectors

    assert selectors.published_book("demo").version in html
    entry = AuditEntry.objects.get(action="radar.explain")
    assert entry.subject_index == id_number_index(ZHANG_WEI.id_number) and entry.reason == "核对"
    assert entry.detail["id_number"] == "3206**********" + ZHANG_WEI.id_number[-4:]
    assert entry.detail["month"] == MONTH and entry.detail["snapshot"] == snapshot.pk
    assert entry.actor_username == client.user.username


def test_people_outside_the_staff_members_districts_are_not_explained(client_as, snapshot):
    client = client_as("staff", districts=["3205"])
    html = client.post(
        "/console/radar/explain/",
        {"id_number": ZHANG_WEI.id_number, "month": MONTH, "snapshot": snapshot.pk, "book": "demo"},
    ).content.decode()
    assert 'id="not-found"' in html and "当月1日未超过年龄上限" not in html
    assert AuditEntry.objects.get(action="radar.explain").result == "not_found"
    html = client.post(
        "/console/radar/explain/",
        {"id_number": wrong_check_character(LI_NA.id_number), "month": MONTH, "snapshot": snapshot.pk, "book": "demo"},
    ).content.decode()
    assert "公民身份号码无效" in html


def test_a_result_row_is_explained_with_the_runs_own_book(client_as, snapshot):
    client = client_as("staff")
    run = done_run(client, snapshot, policies=["living_subsidy"])
    html = client.get(f"/console/radar/runs/{run.pk}/explain/0/").content.decode()
    assert run.book_version in html and "青年人才生活补贴" in html
    assert CHEN_JING.id_number not in html and ZHANG_WEI.id_number not in html
    assert AuditEntry.objects.get(action="radar.explain").detail["run"] == str(run.pk)
    assert client.get(f"/console/radar/runs/{run.pk}/explain/99/").status_code == 404


def test_the_api_starts_a_run_and_reports_its_totals(client_as, snapshot):
    client = client_as("staff")
    body = {"snapshot": snapshot.pk, "month": MONTH}
    response = client.post("/api/v1/radar/runs", body, content_type="application/json")
    assert response.status_code == 202, response.content
    run_id = response.json()["id"]
    assert client.get(f"/api/v1/radar/runs/{run_id}").json()["status"] == "queued"
    services.radar_run_perform(run_id=run_id)
    body = client.get(f"/api/v1/radar/runs/{run_id}").json()
    assert body["status"] == "done" and body["progress"] == 100 and body["rows"] == 6
    assert body["snapshot"] == snapshot.pk and body["comparison"]["kind"] == "first"
    assert {"policy": "living_subsidy", "district": "320613", "count": 1, "amount": "800.00"} in body["totals"]
    assert [r["id"] for r in client.get("/api/v1/radar/runs").json()] == [run_id]
    refused = client.post("/api/v1/radar/runs", {"snapshot": snapshot.pk, "month": "June"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_month"


def test_the_api_explains_one_person_and_audits_it(client_as, snapshot):
    client = client_as("staff")
    body = client.get("/api/v1/radar/explain", {"id_number": ZHANG_WEI.id_number, "month": MONTH}).json()
    assert body["id_number"] == "3206**********" + ZHANG_WEI.id_number[-4:]
    living = next(p for p in body["policies"] if p["policy"] == "living_subsidy")
    assert living["eligible"] and living["amount"] == "800.00"
    assert {c["name"]: c["passed"] for c in living["conditions"]}["age"] is True
    assert AuditEntry.objects.filter(action="radar.explain", subject_index=id_number_index(ZHANG_WEI.id_number))
    missing = client.get("/api/v1/radar/explain", {"id_number": wrong_check_character(LI_NA.id_number), "month": MONTH})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "bad_id_number"


def test_whatif_on_a_snapshot_lacking_feeds_screens_what_it_can_serve(client_as, tmp_path):
    from magnet.apps.common.fixtures import make_user
    from magnet.apps.radar import selectors
    from magnet.apps.radar.tests.radar_cast import replaced

    cast = load(write_cast_snapshot(tmp_path / "cast"))
    text = replaced(selectors.repository_files("demo")["living_subsidy.yaml"], ("value: 800,", "value: 900,"))
    draft = services.policy_version_save(actor=make_user("staff", username="author"), book="demo",
                                         policy="living_subsidy", text=text)  # fmt: skip
    client = client_as("staff")
    response = client.post(f"/console/radar/versions/{draft.pk}/whatif/", {"snapshot": cast.pk, "month": MONTH})
    run = Run.objects.get()
    assert response["Location"] == f"/console/radar/runs/{run.pk}/"
    assert run.kind == "whatif" and run.draft == draft
    assert set(run.policies) == {"living_subsidy", "flexible_insurance_subsidy"}
    assert "本次假设分析不含这些政策" in client.get(response["Location"]).content.decode()
    services.radar_run_perform(run_id=str(run.pk))
    run.refresh_from_db()
    assert run.comparison["total"]["cost"] == "100.00"
