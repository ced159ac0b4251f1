"""Downloads: the talent map as XLSX; a published catalogue as XLSX and as PDF.

The PDF is HTML rendered by WeasyPrint with the font family named explicitly ("Noto Sans CJK SC", Debian's
fonts-noto-cjk): without a CJK font installed and named, Chinese comes out as empty boxes."""

from __future__ import annotations

import io
import logging

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from magnet.apps.talentmap.compute import DEGREES, TalentMap
from magnet.apps.talentmap.models import Degree, DemandCatalogue, Urgency

HEADER_FILL = PatternFill("solid", fgColor="F0F3F7")
# WeasyPrint reports each layout step at INFO: seven log lines per PDF say nothing an operator needs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list], widths: list[int] | None = None):
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    return sheet


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _degree(code: str) -> str:
    return str(Degree(code).label) if code in Degree.values else code


def map_xlsx(talent_map: TalentMap, *, snapshot_id: str) -> bytes:
    """The talent map as a workbook: chains, majors needed, universities to visit, and how it was computed."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, _("产业链"), [_("产业链"), _("代码"), _("企业数"), _("重点企业数"), _("需求人数"), _("供给人数"),
                               _("缺口（需求−供给）"), _("短缺合计")],
           [[c.chain.name, c.chain.key, c.enterprises, c.key_enterprises, c.demand, c.supply, c.gap, c.shortfall]
            for c in talent_map.chains], [18, 22, 10, 12, 10, 10, 18, 10])  # fmt: skip
    header = [_("产业链"), _("专业类代码"), _("专业类"), _("种子权重"), _("理由"), _("需求权重"), _("月报人数"),
              _("岗位人数"), _("需求人数")] + [_("供给·%(d)s") % {"d": _degree(d)} for d in DEGREES] + [
              _("供给人数（近%(n)s年）") % {"n": talent_map.recent_years}, _("本市全部毕业生"), _("缺口"),
              _("点名专业")]  # fmt: skip
    rows = []
    for c in talent_map.chains:
        for m in c.majors:
            weight = {"core": _("核心"), "supporting": _("支撑")}.get(m.seed_weight, _("需求新增"))
            rows.append([c.chain.name, m.class_code, m.class_name, weight, m.reason, m.points, m.reported, m.posted,
                         m.demand, *[m.supply_by_degree.get(d, 0) for d in DEGREES], m.supply, m.supply_all, m.gap,
                         "、".join(m.majors_named)])  # fmt: skip
    _sheet(book, _("专业需求"), header, rows, [14, 10, 16, 10, 50, 10, 10, 10, 10, 8, 8, 8, 8, 14, 14, 8, 30])
    rows = []
    for c in talent_map.chains:
        for rank, u in enumerate(c.universities, start=1):
            rows.append([c.chain.name, rank, u.name, u.school_code, u.province, u.city,
                         _("是") if u.double_first_class else "", _("是") if u.is_985 else "",
                         _("是") if u.is_211 else "", len(u.classes), " ".join(u.classes), u.majors_offered,
                         u.alumni])  # fmt: skip
    header = [_("产业链"), _("排序"), _("学校"), _("学校代码"), _("省份"), _("所在地"), _("双一流"), "985", "211",
              _("开设所需专业类数"), _("专业类"), _("相关专业数"), _("本市校友人数")]  # fmt: skip
    _sheet(book, _("重点高校"), header, rows, [14, 6, 22, 10, 14, 12, 8, 6, 6, 16, 30, 12, 12])
    notes = book.create_sheet(_("说明"))
    for line in method_notes(talent_map) + [_("数据快照：%(id)s") % {"id": snapshot_id}]:
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    return _bytes(book)


def method_notes(talent_map: TalentMap) -> list[str]:
    """How the map is computed, in the words the page and the workbook use."""
    return [
        _("截至 %(day)s，本市（%(city)s）常住人才 %(n)s 人（户籍在本市或近12个月在本市参保）。") % {
            "day": talent_map.as_of.isoformat(), "city": talent_map.city, "n": talent_map.residents},
        _("需求人数 = 各企业最近一期用工需求月报人数 + 在招岗位招聘人数。"),
        _("供给人数 = 本市常住人才中近%(n)s年毕业于该专业类的人数（每人计一次）。") % {"n": talent_map.recent_years},
        _("缺口 = 需求人数 − 供给人数；产业链短缺合计只累加各专业类的正缺口，一个专业类的富余不抵消另一个的短缺。"),
        _("需求权重 = 种子权重（核心专业3分、支撑专业1分）+ 需求人数。"),
        _("重点高校：按开设所需专业类的数量、是否双一流、本市校友人数依次排序（本科专业开设数据：阳光高考2024）。"),
    ]  # fmt: skip


# Column headings of the catalogue, translated when the table is built.
CATALOGUE_HEADER = [
    N_("产业链"),
    N_("职业代码"),
    N_("岗位名称"),
    N_("专业类代码"),
    N_("专业类"),
    N_("点名专业"),
    N_("学历"),
    N_("需求人数"),
    N_("其中月报"),
    N_("其中岗位"),
    N_("紧缺程度"),
    N_("企业数"),
]


def catalogue_table(catalogue: DemandCatalogue) -> tuple[list[str], list[list]]:
    return rows_table(catalogue.rows)


def rows_table(catalogue_rows: list[dict]) -> tuple[list[str], list[list]]:
    """A catalogue's rows as the page, the workbook and the PDF show them (labels, not codes)."""
    header = [_(text) for text in CATALOGUE_HEADER]
    rows = [[r["chain_name"], r["occupation_code"], r["occupation_name"], r["major_class_code"],
             r["major_class_name"], "、".join(r.get("majors", [])), _degree(r["degree"]), r["count"],
             r["reported"], r["posted"], str(Urgency(r["urgency"]).label), r["enterprises"]]
            for r in catalogue_rows]  # fmt: skip
    return header, rows


def catalogue_xlsx(catalogue: DemandCatalogue) -> bytes:
    book = Workbook()
    book.remove(book.active)
    header, rows = catalogue_table(catalogue)
    title = _("人才需求目录（%(label)s）") % {"label": catalogue.label}
    sheet = _sheet(book, catalogue.label, header, rows, [14, 12, 18, 10, 16, 24, 8, 10, 10, 10, 10, 8])
    sheet.insert_rows(1)
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="left")
    sheet.freeze_panes = "A3"
    published = _("发布：%(who)s，%(at)s") % {"who": str(catalogue.published_by),
                                            "at": catalogue.published_at.strftime("%Y-%m-%d %H:%M")}  # fmt: skip
    sheet.append([])
    sheet.append([published])
    return _bytes(book)


def catalogue_pdf(catalogue: DemandCatalogue) -> bytes:
    from weasyprint import HTML

    header, rows = catalogue_table(catalogue)
    html = render_to_string("talentmap/catalogue_pdf.html", {"catalogue": catalogue, "header": header, "rows": rows})
    return HTML(string=html).write_pdf()
