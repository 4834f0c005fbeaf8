"""Two Wagtail reports, exportable as CSV and XLSX like Wagtail's own: "Getty images awaiting
licence" (pages whose latest revision holds a comp, or a licence whose file is not imported)
and "Getty licences" (every licence: who, when, product, project code, where used).

Both are for users who may license Getty images (``getty_picker.license_image``): they are
about what the company pays for. A page's title is shown only to users who may edit the page;
"Getty images awaiting licence" lists only such pages, "Getty licences" counts the others
("2 pages you may not edit"). CSV cells that a spreadsheet would run as a formula (starting
with ``= + - @``, a tab or a carriage return) are written with a leading apostrophe; Wagtail's
XLSX export writes every cell as text already.
"""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn, UserColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from . import access
from .models import GettyImageUse, GettyLicence


def may_view(user):
    """Whether ``user`` may see the reports: Wagtail's admin and the licence permission."""
    return access.scope_of(user) == access.LICENSE


# What makes a spreadsheet read a cell as a formula (or start one on the next line).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a leading
    apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return f"'{value}"
    return value


class GettyReportView(ReportView):
    """For Wagtail admin users who may license Getty images."""

    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"{self.export_name}-{datetime.date.today():%Y-%m-%d}"

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: neutralised(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    @cached_property
    def page_permission_policy(self):
        return policy_registry.get_by_type(Page)

    def editable_pages(self):
        """The pages the user may edit (a queryset of their ids)."""
        return self.page_permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).values("pk")


class AwaitingFilterSet(WagtailFilterSet):
    """Comps, or licences whose file is not in the library yet."""

    state = django_filters.ChoiceFilter(
        label=_("Waiting for"),
        empty_label=_("Either"),
        choices=[("comp", _("A licence (comp)")), ("file", _("The file's import"))],
        method="filter_state",
    )

    def filter_state(self, queryset, name, value):
        if value == "comp":
            return queryset.filter(state=GettyImageUse.STATE_COMP)
        if value == "file":
            return queryset.filter(state=GettyImageUse.STATE_LICENSED)
        return queryset

    class Meta:
        model = GettyImageUse
        fields = []


def _edit_url(use):
    return reverse("wagtailadmin_pages:edit", args=[use.page_id])


class AwaitingLicenceView(GettyReportView):
    """Pages holding Getty images that keep them from being published."""

    page_title = _("Getty images awaiting licence")
    header_icon = "image"
    index_url_name = "getty_picker_reports:awaiting"
    index_results_url_name = "getty_picker_reports:awaiting_results"
    filterset_class = AwaitingFilterSet
    export_name = "getty-images-awaiting-licence"
    no_results_message = _("No page holds a Getty comp or a licence waiting for its file.")
    columns = [
        TitleColumn(
            "page_title", label=_("Page"), accessor="page.get_admin_display_title", get_url=_edit_url
        ),
        Column("image_title", label=_("Getty image"), accessor="image_label"),
        Column("where", label=_("Where")),
        Column("waiting", label=_("Waiting for"), accessor="waiting_for"),
        DateColumn("updated", label=_("Updated"), accessor="page.latest_revision_created_at"),
    ]
    list_export = ["page.get_admin_display_title", "edit_url", "getty_id", "title", "where", "waiting_for"]
    export_headings = {
        "page.get_admin_display_title": _("Page"),
        "edit_url": _("Edit URL"),
        "getty_id": _("Getty id"),
        "title": _("Getty image"),
        "where": _("Where"),
        "waiting_for": _("Waiting for"),
    }

    def get_queryset(self):
        self.queryset = (
            GettyImageUse.objects.filter(page__in=self.editable_pages())
            .filter(
                Q(state=GettyImageUse.STATE_COMP) | Q(licence__isnull=True) | Q(licence__image__isnull=True)
            )
            .select_related("page", "licence")
            .order_by("-page__latest_revision_created_at", "page_id", "pk")
        )
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        for use in object_list:
            use.image_label = f"{use.title or use.getty_id} ({use.getty_id})"
            use.waiting_for = (
                _("A licence: it is a comp")
                if use.state == GettyImageUse.STATE_COMP
                else _("Its file's import")
            )
            use.edit_url = self.request.build_absolute_uri(_edit_url(use))
        return object_list


class LicenceFilterSet(WagtailFilterSet):
    """When, and whether the file is in the library."""

    licensed_at = django_filters.DateFromToRangeFilter(label=_("Licensed at"), widget=DateRangePickerWidget)
    imported = django_filters.BooleanFilter(
        label=_("File imported"), field_name="image", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = GettyLicence
        fields = ["licensed_at", "imported"]


def _image_url(licence):
    return reverse("wagtailimages:edit", args=[licence.image_id]) if licence.image_id else None


class LicencesView(GettyReportView):
    """Every Getty licence the site keeps."""

    page_title = _("Getty licences")
    header_icon = "doc-full"
    index_url_name = "getty_picker_reports:licences"
    index_results_url_name = "getty_picker_reports:licences_results"
    filterset_class = LicenceFilterSet
    export_name = "getty-licences"
    no_results_message = _("No Getty image has been licensed yet.")
    columns = [
        TitleColumn("title", label=_("Getty image"), accessor="label", get_url=_image_url),
        UserColumn("licensed_by", label=_("Licensed by")),
        DateColumn("licensed_at", label=_("Licensed at")),
        Column("product", label=_("Product")),
        Column("project_code", label=_("Project code")),
        Column("file", label=_("File"), accessor="file_state"),
        Column("used_on", label=_("Where used"), accessor="used_on_text"),
        DateColumn("verified_at", label=_("Confirmed by Getty")),
    ]
    list_export = [
        "getty_id",
        "title",
        "licensed_by_name",
        "licensed_at",
        "product_type",
        "product_id",
        "product_name",
        "agreement_name",
        "project_code",
        "download_notes",
        "credit_line",
        "usage_restrictions",
        "file_state",
        "used_on_text",
        "date_downloaded",
        "downloaded_by",
        "verified_at",
    ]
    export_headings = {
        "getty_id": _("Getty id"),
        "title": _("Title"),
        "licensed_by_name": _("Licensed by"),
        "licensed_at": _("Licensed at"),
        "product_type": _("Product type"),
        "product_id": _("Product id"),
        "product_name": _("Product"),
        "agreement_name": _("Agreement"),
        "project_code": _("Project code"),
        "download_notes": _("Download notes"),
        "credit_line": _("Credit line"),
        "usage_restrictions": _("Usage restrictions"),
        "file_state": _("File"),
        "used_on_text": _("Where used"),
        "date_downloaded": _("Downloaded at (Getty)"),
        "downloaded_by": _("Downloaded by (Getty user)"),
        "verified_at": _("Confirmed by Getty at"),
    }

    def get_queryset(self):
        self.queryset = GettyLicence.objects.select_related("licensed_by", "image").order_by(
            "-licensed_at", "-pk"
        )
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        licences = list(object_list)
        uses = (
            GettyImageUse.objects.filter(licence__in=licences)
            .select_related("page")
            .order_by("page__title", "pk")
        )
        editable = set(
            GettyImageUse.objects.filter(licence__in=licences, page__in=self.editable_pages()).values_list(
                "page_id", flat=True
            )
        )
        titles, hidden = {}, {}
        for use in uses:
            if use.page_id in editable:
                shown = titles.setdefault(use.licence_id, [])
                title = use.page.get_admin_display_title()
                if title not in shown:
                    shown.append(title)
            else:
                hidden.setdefault(use.licence_id, set()).add(use.page_id)
        for licence in licences:
            licence.label = f"{licence.title or licence.getty_id} ({licence.getty_id})"
            licence.file_state = _("In the image library") if licence.is_imported else _("Not imported")
            licence.used_on_text = _where_used(titles.get(licence.pk, []), len(hidden.get(licence.pk, ())))
            user = licence.licensed_by
            licence.licensed_by_name = (user.get_full_name() or user.get_username()) if user else ""
        return licences


def _where_used(titles, others):
    """The titles of the pages the user may edit, and how many others use the image."""
    parts = list(titles)
    if others:
        parts.append(
            ngettext("%(count)s page you may not edit", "%(count)s pages you may not edit", others)
            % {"count": others}
        )
    return ", ".join(parts)
