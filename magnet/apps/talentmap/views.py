"""Staff pages: the talent map (chains, one chain, the workbook), who has reported this month, and the
quarter's catalogue (preview, publish)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.talentmap import charts, exports, selectors, services
from magnet.apps.talentmap.chains import shipped_seed
from magnet.apps.talentmap.forms import QuarterForm, StatusForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


@roles("staff")
def index(request):
    """Every key chain: enterprises, demand, supply and gap, with a chart."""
    talent_map, snapshot = selectors.current_map()
    chart = None
    if talent_map is not None:
        chart = charts.paired_bars(
            gettext("各产业链需求与供给"),
            [(c.chain.name, c.demand, c.supply, gettext("缺口 %(gap)s") % {"gap": _signed(c.gap)})
             for c in talent_map.chains],
            (gettext("需求人数"), gettext("供给人数")),
        )  # fmt: skip
    return render(request, "talentmap/index.html", {
        "map": talent_map, "snapshot": snapshot, "chart": chart, "seed": shipped_seed(),
        "notes": exports.method_notes(talent_map) if talent_map else [],
    })  # fmt: skip


@roles("staff")
def chain_detail(request, chain: str):
    """One chain: its industries, the majors it needs with supply and gap, and the universities to visit."""
    seed = shipped_seed()
    try:
        seeded = seed.chain(chain)
    except KeyError:
        raise Http404 from None
    talent_map, snapshot = selectors.current_map()
    chain_map = talent_map.chain(chain) if talent_map else None
    chart = None
    if chain_map is not None:
        chart = charts.paired_bars(
            gettext("按专业类的需求与供给"),
            [(m.class_name, m.demand, m.supply, gettext("缺口 %(gap)s") % {"gap": _signed(m.gap)})
             for m in chain_map.majors],
            (gettext("需求人数"), gettext("供给人数（近%(n)s年毕业）") % {"n": talent_map.recent_years}),
        )  # fmt: skip
    from magnet.apps.reference.models import Industry

    names = {i.code_with_section: i.name for i in Industry.objects.filter(
        code_with_section__in=[industry.code for industry in seeded.industries])}  # fmt: skip
    industries = [{"code": i.code, "name": names.get(i.code, ""), "reason": i.reason} for i in seeded.industries]
    return render(request, "talentmap/chain.html", {
        "chain": seeded, "chain_map": chain_map, "map": talent_map, "snapshot": snapshot, "chart": chart,
        "industries": industries, "sources": [seed.sources[s] for s in seeded.sources],
        "notes": exports.method_notes(talent_map) if talent_map else [],
    })  # fmt: skip


@roles("staff")
def map_download(request):
    talent_map, snapshot = selectors.current_map()
    if talent_map is None:
        messages.error(request, gettext("尚未加载数据快照，无法生成引才图谱。"))
        return redirect("talentmap:index")
    response = HttpResponse(exports.map_xlsx(talent_map, snapshot_id=snapshot.id), content_type=XLSX)
    name = f"talent-map-{talent_map.as_of:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@roles("staff")
def reporting(request):
    """Who has filed the month's demand report, and who has not (within the staff member's districts)."""
    form = StatusForm(request.GET or None)
    month = timezone.localdate().replace(day=1)
    if form.is_valid() and form.cleaned_data["month"]:
        month = form.cleaned_data["month"]
    rows = selectors.reporting_status(month=month, user=request.user)
    missing = [row for row in rows if row["report"] is None]
    return render(request, "talentmap/reporting.html", {
        "form": form, "month": month, "rows": rows, "missing": missing,
        "seed": {c.key: c.name for c in shipped_seed().chains},
    })  # fmt: skip


@roles("staff")
def catalogues(request):
    """The published catalogues, and a preview of the rows a quarter's catalogue would freeze now."""
    form = QuarterForm(request.GET or None)
    preview = None
    if request.GET and form.is_valid():
        year, quarter = form.year_quarter()
        rows, sources = selectors.catalogue_rows(year=year, quarter=quarter)
        header, table = exports.rows_table(rows)
        preview = {"year": year, "quarter": quarter, "header": header, "rows": table, "sources": sources,
                   "total": sum(r["count"] for r in rows), "form": QuarterForm(initial=form.cleaned_data)}  # fmt: skip
    return render(request, "talentmap/catalogues.html", {
        "form": form, "preview": preview, "catalogues": selectors.catalogue_list(),
    })  # fmt: skip


@roles("staff")
@require_POST
def catalogue_publish(request):
    form = QuarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择要发布的季度。"))
        return redirect("talentmap:catalogues")
    year, quarter = form.year_quarter()
    try:
        published = services.demand_catalogue_publish(year=year, quarter=quarter, actor=request.user,
                                                      request=request, note=form.cleaned_data["note"])  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("talentmap:catalogues")
    messages.success(request, gettext("%(label)s人才需求目录已发布。") % {"label": published.label})
    return redirect("talentmap_public:detail", pk=published.pk)
