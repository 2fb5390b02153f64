"""The admin's spreadsheet import and export (django-import-export), limited
by explicit permissions rather than open to any staff user.

dcplan/settings.py sets IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view" and
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add": exporting deliverables needs
deliverables.view_deliverable, importing offices deliverables.add_office.
Importing also updates existing rows, so it needs the model's "change"
permission as well.
"""

from django.http import HttpRequest
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.formats import base_formats

from .exports import ADMIN_EXPORT_FORMATS


class SpreadsheetExportAdmin(ExportActionMixin):
    """An "Export" button on the list and an "Export selected" action, CSV or
    XLSX, with every cell neutralised against formulas."""

    export_formats = ADMIN_EXPORT_FORMATS


class SpreadsheetImportExportAdmin(ImportMixin, SpreadsheetExportAdmin):
    import_formats = [base_formats.CSV, base_formats.XLSX]
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"

    def has_import_permission(self, request: HttpRequest) -> bool:
        opts = self.opts
        return super().has_import_permission(request) and request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )
