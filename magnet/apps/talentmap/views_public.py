"""Public pages: the published talent-demand catalogues, readable without signing in, as XLSX and PDF."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from magnet.apps.common.access import public
from magnet.apps.talentmap import exports, selectors
from magnet.apps.talentmap.models import DemandCatalogue
from magnet.apps.talentmap.views import XLSX


@public
def catalogue_list(request):
    return render(request, "talentmap/public_list.html", {"catalogues": selectors.catalogue_list()})


@public
def catalogue_detail(request, pk: int):
    catalogue = get_object_or_404(DemandCatalogue.objects.select_related("published_by"), pk=pk)
    header, rows = exports.catalogue_table(catalogue)
    return render(request, "talentmap/public_detail.html", {"catalogue": catalogue, "header": header, "rows": rows})


def _download(catalogue: DemandCatalogue, body: bytes, content_type: str, ext: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = f"talent-demand-{catalogue.year}-Q{catalogue.quarter}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public
def catalogue_xlsx(request, pk: int):
    catalogue = get_object_or_404(DemandCatalogue.objects.select_related("published_by"), pk=pk)
    return _download(catalogue, exports.catalogue_xlsx(catalogue), XLSX, "xlsx")


@public
def catalogue_pdf(request, pk: int):
    catalogue = get_object_or_404(DemandCatalogue.objects.select_related("published_by"), pk=pk)
    return _download(catalogue, exports.catalogue_pdf(catalogue), "application/pdf", "pdf")
