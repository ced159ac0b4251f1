from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from magnet.apps.common.access import public
from magnet.config.admin import admin_site
from magnet.config.api import api

urlpatterns = [
    path("", include("magnet.apps.common.urls")),
    path("accounts/", include("magnet.apps.accounts.urls")),
    path("console/feeds/", include("magnet.apps.feeds.urls")),
    path("console/audit/", include("magnet.apps.audit.urls")),
    path("console/radar/", include("magnet.apps.radar.urls")),
    path("reference/", include("magnet.apps.reference.urls")),
    path("policies/", include("magnet.apps.radar.urls_talent")),
    path(".well-known/magnet/", include("magnet.apps.talentcode.urls")),
    path("talent-code/", include("magnet.apps.talentcode.console_urls")),
    path("console/talentmap/", include("magnet.apps.talentmap.urls")),
    path("enterprise/demand/", include("magnet.apps.talentmap.urls_enterprise")),
    path("talent-demand/", include("magnet.apps.talentmap.urls_public")),
    path("inbox/", include("magnet.apps.inbox.urls")),
    path("grants/", include("magnet.apps.grants.urls")),
    path("console/grants/", include("magnet.apps.grants.urls_staff")),
    path("jobs/", include("magnet.apps.matching.urls")),
    path("hiring/", include("magnet.apps.matching.urls_enterprise")),
    path("console/jobs/", include("magnet.apps.matching.urls_staff")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path(settings.MAGNET_ADMIN_PATH, admin_site.urls),
]

handler500 = "magnet.apps.common.views.server_error"
