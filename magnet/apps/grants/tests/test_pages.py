"""The grants pages: the talent's own grants, the public publicity lists (masked), and the staff console from
a screening run to a reconciled batch; every refusal is shown where it belongs and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from magnet.apps.accounts.services import talent_create
from magnet.apps.common.fixtures import ROLES, make_user, sign_in
from magnet.apps.common.pii import id_number_index
from magnet.apps.common.testing import ZHANG_WEI
from magnet.apps.grants import services, views
from magnet.apps.grants.models import (
    Appeal,
    Grant,
    JournalEntry,
    Objection,
    PayeeAccount,
    PaymentBatch,
    PaymentInstruction,
)
from magnet.apps.grants.tests.test_lifecycle import ACCOUNT, bound_talent, to_approved
from magnet.apps.radar import services as radar
from magnet.apps.radar.tests.radar_cast import CHEN_JING, EXTRA, MONTH, load, write_radar_snapshot
from magnet.core.feeds.checks import mask_id_number, mask_id_number_public
from magnet.core.payments import simulate_bank

pytestmark = pytest.mark.django_db
S = Grant.Status
EVERYONE = [ZHANG_WEI, *EXTRA]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the objection rate limit counts per address in the shared cache
    yield
    cache.clear()


@pytest.fixture
def snapshot(tmp_path):
    return load(write_radar_snapshot(tmp_path / "radar-cast"))


@pytest.fixture
def people(db):
    return {name: make_user("staff", username=name) for name in ("maker", "checker", "third")}


@pytest.fixture
def run(snapshot, people):
    started = radar.radar_run_start(actor=people["maker"], snapshot=snapshot, month=MONTH)
    radar.radar_run_perform(run_id=str(started.pk))
    started.refresh_from_db()
    return started


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def no_full_id_numbers(page: str) -> None:
    for persona in EVERYONE:
        assert persona.id_number not in page, persona.key


def needs_confirmation(policy: str = "living_subsidy") -> None:
    """The cast's entitlements are all 免申即享; a policy that needs the person's confirmation, for the test."""
    Grant.objects.filter(policy=policy, status=S.MATCHED).update(mode="confirm")


def exported_batch(run, people) -> PaymentBatch:
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    to_approved(people)
    batch = services.batch_assemble(actor=people["maker"])
    services.batch_approve(batch, actor=people["checker"])
    services.batch_export(batch, actor=people["checker"])
    batch.refresh_from_db()
    return batch


# ------------------------------------------------------------------------------------------ access


def test_every_grants_page_renders_for_its_role_and_refuses_the_others(run, people):
    batch = exported_batch(run, people)
    zhang = services.person_user(id_number_index(ZHANG_WEI.id_number))
    appeal = services.appeal_file(zhang, policy="rent_subsidy", period=MONTH, text="我没有房产，请复核租房补贴")
    staff_pages = ["/console/grants/", "/console/grants/publicity/", "/console/grants/batches/",
                   f"/console/grants/batches/{batch.pk}/", "/console/grants/ledger/", "/console/grants/budget/",
                   f"/console/grants/appeals/{appeal.pk}/"]  # fmt: skip
    pages = {**dict.fromkeys(staff_pages, {"staff"}), "/grants/": {"talent"}, "/grants/publicity/": set(ROLES)}
    for role in ROLES:
        user = talent_create(phone="13700000123") if role == "talent" else make_user(role, username=f"{role}.pages")
        client = client_for(user)
        for page, allowed in pages.items():
            response = client.get(page)
            assert response.status_code == (200 if role in allowed else 403), (role, page, response.status_code)
            if response.status_code == 200:
                no_full_id_numbers(response.content.decode())
    anonymous = Client()
    assert anonymous.get("/grants/publicity/").status_code == 200
    for page in [*staff_pages, "/grants/"]:
        assert anonymous.get(page).status_code == 302, page


def test_the_grants_pages_are_in_the_menus(client_as):
    assert 'href="/grants/"' in client_as("talent").get("/talent/").content.decode()
    assert 'href="/console/grants/"' in client_as("staff").get("/console/").content.decode()


# ------------------------------------------------------------------------------------------ talent


def test_the_talent_sees_only_their_own_grants_and_confirms_with_an_account_in_their_name(run, people):
    zhang = bound_talent(ZHANG_WEI)
    chen = bound_talent(CHEN_JING, phone="13700000088")
    services.grants_from_run(run, actor=people["maker"])
    needs_confirmation()
    services.notify_matched(actor=people["maker"])
    client = client_for(zhang)
    response = client.get("/grants/")
    mine = response.context["mine"]
    assert mine.grants and {g.person_index for g in mine.grants} == {zhang.id_number_index}
    page = response.content.decode()
    assert "青年人才生活补贴" in page and "800.00" in page and "1,500.00" not in page
    assert "请先填写本人名下的收款账户" in page
    theirs = Grant.objects.filter(person_index=chen.id_number_index, status=S.NOTIFIED).first()
    assert client.post(f"/grants/{theirs.pk}/confirm/").status_code == 404  # someone else's grant
    theirs.refresh_from_db()
    assert theirs.status == S.NOTIFIED

    refused = client.post("/grants/account/", {"account_name": "李四", "account_number": ACCOUNT, "bank_code": "ICBC"})
    assert refused.status_code == 400
    assert "户名须与本人姓名一致" in " ".join(refused.context["account_form"].errors["account_name"])
    assert 'id="id_account_name-errors"' in refused.content.decode()
    assert not PayeeAccount.objects.exists()

    ok = client.post("/grants/account/", {"account_name": ZHANG_WEI.name, "account_number": ACCOUNT,
                                          "bank_code": "ICBC"}, follow=True)  # fmt: skip
    assert "收款账户已保存" in ok.content.decode() and "6222****3445" in ok.content.decode()
    living = Grant.objects.get(person_index=zhang.id_number_index, policy="living_subsidy")
    assert living.status == S.NOTIFIED
    confirmed = client.post(f"/grants/{living.pk}/confirm/", follow=True)
    assert confirmed.redirect_chain[-1][0] == f"/grants/#g{living.pk}"
    living.refresh_from_db()
    assert living.status == S.CONFIRMED and "已确认" in confirmed.content.decode()


def test_a_confirmation_refused_names_the_failing_conditions_and_changes_nothing(run, people, monkeypatch):
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    needs_confirmation()
    services.notify_matched(actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    monkeypatch.setattr(services, "recheck", lambda grant: ["在本市缴纳社会保险", "年龄不超过35周岁"])
    living = Grant.objects.get(person_index=zhang.id_number_index, policy="living_subsidy")
    page = client_for(zhang).post(f"/grants/{living.pk}/confirm/", follow=True).content.decode()
    assert "重新核验未通过：在本市缴纳社会保险；年龄不超过35周岁" in page
    living.refresh_from_db()
    assert living.status == S.NOTIFIED and living.events.count() == 1  # only the notification


def test_an_unbound_or_unverified_talent_is_asked_to_bind_their_identity(client_as):
    client = client_as("talent")
    page = client.get("/grants/").content.decode()
    assert 'id="bind-identity"' in page and "收款账户" not in page
    client.user.id_number_cipher, client.user.id_number_index, client.user.identity_status = "x", "y", "mismatch"
    client.user.save()
    assert 'id="unverified"' in client.get("/grants/").content.decode()
    assert client.post("/grants/1/confirm/").status_code == 404


def test_a_refused_person_appeals_and_staff_decide_with_a_reason_seeing_the_explanation(run, people):
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    living = Grant.objects.get(person_index=zhang.id_number_index, policy="living_subsidy")
    services.refuse(living, actor=people["maker"], reason="核实后不在本市就业")
    talent = client_for(zhang)
    page = talent.get("/grants/").content.decode()
    assert "申请人工复核" in page and "核实后不在本市就业" in page
    short = talent.post("/grants/appeal/", {"policy": "rent_subsidy", "period": MONTH, "text": "短"})
    assert short.status_code == 400 and not Appeal.objects.exists()
    talent.post("/grants/appeal/", {"grant": living.pk, "text": "我一直在本市工作，请人工复核"})
    talent.post("/grants/appeal/", {"policy": "rent_subsidy", "period": MONTH, "text": "我没有房产，请复核租房补贴"})
    assert Appeal.objects.count() == 2
    appeal = Appeal.objects.get(grant=living)

    staff = client_for(people["checker"])
    dashboard = staff.get("/console/grants/").content.decode()
    assert f"/console/grants/appeals/{appeal.pk}/" in dashboard and mask_id_number(ZHANG_WEI.id_number) in dashboard
    review = staff.get(f"/console/grants/appeals/{appeal.pk}/").content.decode()
    assert 'id="explanation"' in review and "我一直在本市工作" in review
    no_full_id_numbers(review)
    refused = staff.post(f"/console/grants/appeals/{appeal.pk}/decide/", {"granted": "yes", "decision": ""},
                         follow=True)  # fmt: skip
    assert "请选择复核结论并填写复核意见" in refused.content.decode()
    appeal.refresh_from_db()
    assert appeal.decided_at is None
    staff.post(f"/console/grants/appeals/{appeal.pk}/decide/", {"granted": "yes", "decision": "社保记录显示在本市就业"})
    appeal.refresh_from_db()
    assert appeal.granted is True and appeal.decision == "社保记录显示在本市就业"
    assert appeal.decided_by == people["checker"]
    assert "社保记录显示在本市就业" in talent.get("/grants/").content.decode()


# ------------------------------------------------------------------------------------------ public


def test_the_publicity_list_masks_names_and_identity_numbers_and_takes_objections(run, people, monkeypatch):
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    services.notify_matched(actor=people["maker"])
    for grant in Grant.objects.filter(status=S.NOTIFIED, person_index=zhang.id_number_index):
        services.confirm(grant, zhang)
    started = services.publicity_start(actor=people["maker"])
    public = Client()
    response = public.get("/grants/publicity/")
    page = response.content.decode()
    assert response.status_code == 200 and started >= 1
    assert mask_id_number_public(ZHANG_WEI.id_number) in page and "张*" in page
    no_full_id_numbers(page)
    assert mask_id_number(ZHANG_WEI.id_number) not in page  # the console's mask shows more than a notice may
    assert "张伟" not in page and "青年人才生活补贴" in page

    grant = Grant.objects.filter(status=S.PUBLICITY, person_index=zhang.id_number_index).first()
    short = public.post(f"/grants/publicity/{grant.pk}/objection/", {"text": "不对", "contact": ""})
    assert short.status_code == 400 and not Objection.objects.exists()
    grant.refresh_from_db()
    assert grant.status == S.PUBLICITY
    done = public.post(f"/grants/publicity/{grant.pk}/objection/", {"text": "此人已离开本市工作", "contact": "139"},
                       follow=True)  # fmt: skip
    assert "异议已收到" in done.content.decode()
    grant.refresh_from_db()
    assert grant.status == S.OBJECTED and Objection.objects.get().contact == "139"

    monkeypatch.setattr(views, "OBJECTIONS_PER_WINDOW", 2)
    flooded = public.post(f"/grants/publicity/{grant.pk}/objection/", {"text": "再提一次异议内容", "contact": ""})
    assert flooded.status_code == 429 and flooded["Retry-After"] == "60"
    assert "提交过于频繁" in flooded.content.decode() and Objection.objects.count() == 1

    staff = client_for(people["checker"])
    assert "1 条异议待处理" in staff.get("/console/grants/publicity/").content.decode()
    objection = Objection.objects.get()
    staff.post(f"/console/grants/objections/{objection.pk}/resolve/", {"upheld": "no", "resolution": ""})
    objection.refresh_from_db()
    assert objection.resolved_at is None  # a decision needs its reason
    staff.post(
        f"/console/grants/objections/{objection.pk}/resolve/", {"upheld": "no", "resolution": "经核实仍在本市就业"}
    )
    objection.refresh_from_db()
    grant.refresh_from_db()
    assert objection.resolution == "经核实仍在本市就业" and grant.status == S.PUBLICITY


def test_an_objection_to_a_line_not_on_a_publicity_list_is_not_found(run, people):
    services.grants_from_run(run, actor=people["maker"])
    grant = Grant.objects.first()
    assert Client().post(f"/grants/publicity/{grant.pk}/objection/", {"text": "此人已离开本市工作"}).status_code == 404


# ------------------------------------------------------------------------------------------ staff


def test_staff_take_a_run_to_approved_grants_from_the_dashboard(run, people):
    zhang = bound_talent(ZHANG_WEI)
    staff = client_for(people["maker"])
    page = staff.get("/console/grants/").content.decode()
    assert f"/console/grants/runs/{run.pk}/grants/" in page
    response = staff.post(f"/console/grants/runs/{run.pk}/grants/", follow=True)
    assert Grant.objects.count() == run.rows and "已生成补贴" in response.content.decode()
    assert f"/console/grants/runs/{run.pk}/grants/" not in response.content.decode()  # done: off the list
    staff.post("/console/grants/notify/")
    assert not Grant.objects.filter(status=S.MATCHED).exists()
    page = staff.get("/console/grants/").content.decode()
    assert "无法联系的人" in page and mask_id_number(CHEN_JING.id_number) in page
    no_full_id_numbers(page)
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    for grant in Grant.objects.filter(status=S.NOTIFIED, person_index=zhang.id_number_index):
        services.confirm(grant, zhang)
    staff.post("/console/grants/publicity/start/", {"days": "7"})
    in_publicity = Grant.objects.filter(status=S.PUBLICITY)
    assert in_publicity.exists()
    assert {g.publicity_until for g in in_publicity} == {timezone.localdate() + dt.timedelta(days=7)}
    staff.post("/console/grants/approve/")
    assert not Grant.objects.filter(status=S.APPROVED).exists()  # publicity not over yet
    in_publicity.update(publicity_until=timezone.localdate() - dt.timedelta(days=1))
    response = staff.post("/console/grants/approve/", follow=True)
    assert Grant.objects.filter(status=S.APPROVED).exists() and "已审批" in response.content.decode()


def test_the_makers_approval_is_refused_on_the_page_and_another_staff_member_approves(run, people):
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    to_approved(people)
    maker = client_for(people["maker"])
    response = maker.post("/console/grants/batches/assemble/", {"policy": "", "limit": ""})
    batch = PaymentBatch.objects.get()
    assert response["Location"] == f"/console/grants/batches/{batch.pk}/"
    page = maker.get(f"/console/grants/batches/{batch.pk}/").content.decode()
    assert 'id="maker-note"' in page and 'id="approve"' not in page
    refused = maker.post(f"/console/grants/batches/{batch.pk}/approve/")
    assert refused.status_code == 403 and "制单人不能审批自己的批次" in refused.content.decode()
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.ASSEMBLED and batch.approved_by is None
    assert maker.post(f"/console/grants/batches/{batch.pk}/export/").status_code == 302  # not approved: refused
    assert not JournalEntry.objects.filter(kind="send").exists()

    checker = client_for(people["checker"])
    checker.post(f"/console/grants/batches/{batch.pk}/approve/")
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.APPROVED and batch.approved_by == people["checker"]
    export = checker.post(f"/console/grants/batches/{batch.pk}/export/")
    assert export.status_code == 200 and export["Content-Disposition"] == (
        f'attachment; filename="magnet-batch-{batch.pk}.csv"'
    )
    data = export.content
    assert data.decode().count("\n") >= batch.lines + 2 and ZHANG_WEI.id_number not in data.decode()
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.EXPORTED
    assert checker.post(f"/console/grants/batches/{batch.pk}/export/").content == data  # the same bytes again


def test_a_return_file_with_unknown_duplicate_or_mismatched_lines_is_refused_whole_with_the_lines(run, people):
    batch = exported_batch(run, people)
    staff = client_for(people["checker"])
    data = staff.post(f"/console/grants/batches/{batch.pk}/export/").content
    good = simulate_bank(data).decode()
    lines = good.splitlines()
    first = next(i for i, x in enumerate(lines) if x.startswith(f"{batch.pk},"))
    amount = lines[first].split(",")[3]
    lines[first] = lines[first].replace(f",{amount},", ",1.00,")  # mismatched amount
    lines.insert(first + 1, lines[first + 1] if first + 1 < len(lines) - 1 else lines[first])  # duplicate
    bad = "\n".join(lines) + "\n"
    response = staff.post(f"/console/grants/batches/{batch.pk}/return/",
                          {"file": _upload("return.csv", bad.encode())})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "整份未导入" in page and re.search(r"第 \d+ 行", page)
    assert response.context["problems"]
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.EXPORTED
    assert not PaymentInstruction.objects.filter(status="paid").exists()
    assert not JournalEntry.objects.filter(kind="settle").exists()
    assert not batch.returns.exists() and Grant.objects.filter(status=S.IN_BATCH).count() == batch.lines

    unknown = good.replace(PaymentInstruction.objects.filter(batch=batch).first().key, "f" * 32)
    response = staff.post(f"/console/grants/batches/{batch.pk}/return/", {"file": _upload("r.csv", unknown.encode())})
    assert response.status_code == 400 and "不属于本批次的行" in response.content.decode()

    response = staff.post(f"/console/grants/batches/{batch.pk}/return/", {"file": _upload("r.csv", good.encode())},
                          follow=True)  # fmt: skip
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RECONCILED and "回盘已导入" in response.content.decode()
    assert response.context["summary"]["paid"]["count"] == batch.lines


def test_a_simulated_bank_return_reconciles_in_development_and_is_refused_in_production(run, people, settings):
    batch = exported_batch(run, people)
    staff = client_for(people["third"])
    settings.MAGNET_ENV = "production"
    page = staff.get(f"/console/grants/batches/{batch.pk}/").content.decode()
    assert "模拟银行回盘" not in page
    refused = staff.post(f"/console/grants/batches/{batch.pk}/simulate/", {"fail": "0"})
    assert refused.status_code == 403 and "生产环境不能模拟银行回盘" in refused.content.decode()
    assert not batch.returns.exists()
    settings.MAGNET_ENV = "development"
    assert "模拟银行回盘" in staff.get(f"/console/grants/batches/{batch.pk}/").content.decode()
    response = staff.post(f"/console/grants/batches/{batch.pk}/simulate/", {"fail": "1"}, follow=True)
    page = response.content.decode()
    assert "模拟回盘已导入" in page
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RECONCILED
    summary = response.context["summary"]
    assert summary["failed"]["count"] == 1 and summary["paid"]["count"] == batch.lines - 1
    assert Grant.objects.filter(status=S.FAILED).count() == 1
    dashboard = staff.get("/console/grants/").content.decode()
    assert "全部重新发放" in dashboard
    staff.post("/console/grants/retry/")
    assert not Grant.objects.filter(status=S.FAILED).exists()


def test_ledger_and_budget_show_balances_paid_amounts_and_the_projection(run, people):
    batch = exported_batch(run, people)
    services.batch_import_return(batch, simulate_bank(services.batch_export(batch, actor=people["checker"])),
                                 actor=people["checker"])  # fmt: skip
    from magnet.apps.radar.models import PolicyVersion
    from magnet.apps.radar.selectors import repository_files
    from magnet.apps.radar.tests.radar_cast import replaced

    pool = replaced(
        repository_files("demo")["living_subsidy.yaml"],
        ("kind: monthly\n", "kind: monthly\nbudget_pool: {name: 生活补贴资金, amount: 3000, order: first_come}\n"),
    )
    PolicyVersion.objects.create(
        book="demo",
        policy="living_subsidy",
        number=2,
        text=pool,
        status="approved",
        effective_from="2022-01-01",
        created_by=people["third"],
        decided_by=people["checker"],
    )
    staff = client_for(people["maker"])
    ledger = staff.get("/console/grants/ledger/")
    codes = {a.code: a.balance for a in ledger.context["accounts"]}
    assert codes["cash:treasury"] == -batch.total and codes["clearing:bank"] == 0
    response = staff.get("/console/grants/budget/")
    living = next(p for p in response.context["policies"] if p["policy"] == "living_subsidy")
    months = timezone.localdate().month
    assert living["paid"] > 0 and living["approved"] >= living["paid"]
    assert living["projection"] == (living["paid"] / months * 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert living["pool"] == 3000 and living["left"] == 3000 - living["approved"]
    page = response.content.decode()
    assert "青年人才生活补贴" in page and "生活补贴资金" in page and "全年预计发放" in page
    no_full_id_numbers(ledger.content.decode())


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
