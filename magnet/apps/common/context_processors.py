"""The navigation of each role, so every page a role may open is linked from its menu."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAV = {
    "talent": [("common:talent_home", _("我的首页")), ("radar_talent:mine", _("我的政策")),
               ("matching:recommended", _("岗位推荐")), ("matching:applications", _("我的申请")),
               ("talentcode_pages:mine", _("我的人才码")), ("grants:mine", _("我的补贴")),
               ("accounts:identity", _("身份绑定")),
               ("accounts:access_history", _("查看记录"))],
    "enterprise": [("common:enterprise_home", _("企业首页")), ("hiring:postings", _("岗位管理")),
                   ("hiring:applications", _("候选人/申请")), ("talentmap_enterprise:reports", _("用工需求"))],
    "staff": [("common:console", _("工作台")), ("feeds:snapshots", _("数据快照")), ("feeds:upload", _("上传数据")),
              ("feeds:person_lookup", _("人员查询")), ("accounts:enterprise_requests", _("企业注册审核")),
              ("talentcode_pages:console", _("人才码")), ("radar:index", _("政策找人")),
              ("grants_staff:dashboard", _("补贴发放")),
              ("jobs_console:queue", _("岗位审核")),
              ("talentmap:index", _("引才图谱")), ("talentmap:catalogues", _("需求目录")),
              ("reference:sources", _("参考目录"))],
    "verifier": [("talentcode_pages:point_home", _("扫码核验"))],
    "auditor": [("audit:search", _("审计日志")), ("audit:verify", _("完整性校验"))],
    "admin": [("common:console", _("工作台")), ("feeds:snapshots", _("数据快照")), ("audit:search", _("审计日志"))],
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label in NAV.get(user.role, []):
        url = reverse(name)
        items.append({"url": url, "label": label, "active": request.path == url})
    if user.role == "admin":
        items.append({"url": "/" + settings.MAGNET_ADMIN_PATH, "label": _("系统管理"), "active": False})
    if user.role in ("talent", "enterprise", "staff"):
        from magnet.apps.inbox.services import unread_count

        unread = unread_count(user)
        label = _("消息") + (f" ({unread})" if unread else "")
        items.append({"url": reverse("inbox:inbox"), "label": label, "active": request.path == reverse("inbox:inbox")})
    return {"nav_items": items}
