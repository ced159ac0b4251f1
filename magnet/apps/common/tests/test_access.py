"""Deny by default (AC-1) and the role matrix: every page and API operation refuses the wrong roles."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from magnet.apps.common.fixtures import ROLES

# The short public allowlist (reviewed in code): pages anyone may open.
PUBLIC = {"/", "/accounts/login/", "/accounts/login/password/", "/accounts/login/sms/send/", "/accounts/login/sms/",
          "/accounts/enterprise/register/", "/.well-known/magnet/talent-code-keys.cbor",
          "/.well-known/magnet/talent-code-revocations.cbor",
          "/reference/", "/i18n/setlang/", "/api/v1/health",
          "/policies/calculator/", "/policies/calculator/pick/major/", "/grants/publicity/", "/talent-demand/"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def concrete_paths():
    """Every route with sample values in its parameters."""
    samples = {"<str:snapshot_id>": "abc", "<slug:kind>": "major", "<path:object_id>": "1", "<id>": "1",
               "<int:pk>": "1", "<str:app_label>": "accounts", "<path:url>": "x"}
    for raw in _walk(get_resolver().url_patterns):
        if raw.startswith("^") or "(?P" in raw:
            continue  # regex routes of the admin's catch-alls; the admin is covered by its own test
        path = "/" + raw
        for key, value in samples.items():
            path = path.replace(key, value)
        if "<" in path:
            continue
        yield path


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_route_outside_the_allowlist_refuses_anonymous_users(client, method):
    checked = 0
    for path in concrete_paths():
        if path in PUBLIC or path.startswith("/api/v1/docs") or path.startswith("/api/v1/openapi"):
            continue
        response = getattr(client, method)(path)
        assert response.status_code in (302, 401, 403, 404, 405), (path, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"] or "/login/" in response["Location"], path
        checked += 1
    assert checked > 20


PAGES = {  # page → roles allowed
    "/talent/": {"talent"}, "/accounts/identity/": {"talent"}, "/accounts/access-history/": {"talent"},
    "/policies/mine/": {"talent"}, "/talent-code/mine/": {"talent"}, "/talent-code/mine/code/": {"talent"},
    "/enterprise/": {"enterprise"}, "/talent-code/point/": {"verifier"}, "/talent-code/console/": {"staff"},
    "/console/": {"staff", "admin"}, "/console/feeds/": {"staff", "admin"}, "/console/feeds/upload/": {"staff"},
    "/console/feeds/person/": {"staff"}, "/accounts/enterprise/requests/": {"staff"},
    "/console/radar/": {"staff"}, "/console/radar/runs/": {"staff"}, "/console/radar/explain/": {"staff"},
    "/console/radar/books/demo/living_subsidy/": {"staff"},
    "/jobs/": {"talent"}, "/jobs/search/": {"talent"}, "/jobs/profile/": {"talent"},
    "/jobs/applications/": {"talent"}, "/hiring/": {"enterprise"}, "/hiring/new/": {"enterprise"},
    "/hiring/applications/": {"enterprise"}, "/console/jobs/": {"staff"},
    "/console/talentmap/": {"staff"}, "/console/talentmap/chains/ict/": {"staff"},
    "/console/talentmap/reports/": {"staff"}, "/console/talentmap/catalogues/": {"staff"},
    "/enterprise/demand/": {"enterprise"}, "/enterprise/demand/new/": {"enterprise"},
    "/grants/": {"talent"}, "/console/grants/": {"staff"}, "/console/grants/publicity/": {"staff"},
    "/console/grants/batches/": {"staff"}, "/console/grants/ledger/": {"staff"}, "/console/grants/budget/": {"staff"},
    "/console/audit/": {"auditor", "admin"},
    "/console/audit/verify/": {"auditor", "admin"},
    "/inbox/": set(ROLES),
}
API = {"/api/v1/feeds/snapshots": {"staff", "admin"}, "/api/v1/radar/runs": {"staff"},
       "/api/v1/audit/entries": {"auditor"}, "/api/v1/me": set(ROLES), "/api/v1/reference/majors?q=计算机": set(ROLES),
       "/api/v1/matching/jobs": set(ROLES), "/api/v1/matching/recommendations": {"talent"}}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_its_pages_and_is_refused_the_others(client_as, role):
    client = client_as(role)
    for page, allowed in PAGES.items():
        response = client.get(page)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, page, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_the_api_operations_of_other_roles(client_as, role):
    client = client_as(role)
    for url, allowed in API.items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, url, response.content[:200])
        else:
            assert response.status_code in (401, 403), (role, url, response.status_code)


@pytest.mark.django_db
def test_home_sends_each_role_to_its_own_page(client_as):
    for role in ROLES:
        client = client_as(role)
        response = client.get("/home/")
        assert response.status_code == 302
        client.logout()


@pytest.mark.django_db
def test_refusal_is_audited(client_as):
    from magnet.apps.audit.models import AuditEntry

    client = client_as("talent")
    client.get("/console/")
    assert AuditEntry.objects.filter(action="access.denied", object_id="/console/", result="denied").exists()


@pytest.mark.django_db
def test_admin_site_only_for_administrators_with_second_factor(client_as, settings):
    admin = "/" + settings.MAGNET_ADMIN_PATH
    assert client_as("admin").get(admin).status_code == 200
    for role in ["staff", "auditor", "enterprise", "talent"]:
        client = client_as(role)
        assert client.get(admin).status_code in (302, 403), role
        client.logout()


@pytest.mark.django_db
def test_personal_pages_are_not_cached_and_carry_security_headers(client_as):
    client = client_as("talent")
    response = client.get("/talent/")
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"]:
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_after_the_switch(client_as):
    client = client_as("staff")
    assert "人社局工作台" in client.get("/console/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/console/"})
    assert response.status_code == 302
    page = client.get("/console/").content.decode()
    assert "Bureau dashboard" in page and "人社局工作台" not in page
    assert '<html lang="en">' in page


@pytest.mark.django_db
def test_browser_language_does_not_switch_the_page(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and '<html lang="zh-CN">' in page


@pytest.mark.django_db
def test_security_headers_on_every_route(client):
    for path in concrete_paths():
        response = client.get(path)
        assert "object-src 'none'" in response.get("Content-Security-Policy", ""), path
        assert response.get("X-Content-Type-Options") == "nosniff", path
        assert response.get("X-Frame-Options") == "DENY", path
        assert response.get("X-Request-ID"), path


def test_server_error_page_is_generic_with_the_request_id(rf):
    from magnet.apps.common.views import server_error

    request = rf.get("/")
    request.request_id = "abc123def4567890"
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "abc123def4567890" in body
    assert "Traceback" not in body and "SELECT" not in body


@pytest.mark.django_db
def test_no_default_accounts_after_migration_and_reserved_names_refused():
    from django.core.exceptions import ValidationError

    from magnet.apps.accounts.models import User

    assert not User.objects.exists()
    with pytest.raises(ValidationError):
        User(username="admin", role="admin").full_clean(exclude=["password"])


@pytest.mark.django_db
def test_audit_entries_carry_actor_address_and_request_id(client_as):
    from magnet.apps.audit.models import AuditEntry

    client_as("enterprise")
    entry = AuditEntry.objects.get(action="auth.login", result="ok")
    assert entry.actor_username == "enterprise.test" and entry.actor_role == "enterprise"
    assert entry.ip == "127.0.0.1" and len(entry.request_id) == 16 and entry.at is not None


@pytest.mark.django_db
def test_a_fragment_refreshing_after_sign_out_sends_the_whole_page_to_sign_in(client):
    response = client.get("/talent-code/mine/code/", headers={"HX-Request": "true",
                                                              "HX-Current-URL": "http://testserver/talent-code/mine/"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/talent-code/mine/"
    foreign = client.get("/talent-code/mine/code/", headers={"HX-Request": "true",
                                                             "HX-Current-URL": "https://evil.example/x"})
    assert foreign["HX-Redirect"] == "/accounts/login/?next=/"
