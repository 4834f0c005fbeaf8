"""Wagtail hooks: the app's permissions in the group editor, the publish guard in the page
editor and bulk actions, the two reports in the Reports menu, the picker in chooser modals (its
script, styles and the Getty field's modal) and the credit of Getty images in rich text."""

from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from . import guard, reports


@hooks.register("register_permissions")
def register_permissions():
    """The app's permissions, shown under "Other permissions" when editing a group."""
    return Permission.objects.filter(
        content_type__app_label="getty_picker", codename__in=["license_image", "search_image"]
    )


@hooks.register("before_publish_page")
def keep_comps_in_drafts(request, page):
    """Publishing (or scheduling) from the editor: the draft (already saved) stays; the editor is
    told which images keep the page from going live and what to do."""
    problems = guard.problems_of(page)
    if not problems:
        return None
    messages.error(request, guard.message(page, problems, scheduling=guard.is_scheduling(page)))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_comps(request, action_type, objects, action_class_instance):
    """Bulk "Publish" in the page listing: refused as a whole, before anything is published."""
    if action_type != "publish":
        return None
    for page in objects:
        if not isinstance(page, Page):
            return None
        revision = page.get_latest_revision()
        content = revision.as_object() if revision else page.specific
        problems = guard.problems_of(content)
        if problems:
            messages.error(request, guard.message(content, problems, scheduling=guard.is_scheduling(content)))
            return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_explore_root"))
    return None


@hooks.register("register_log_actions")
def register_held_back_action(actions):
    """The page history's line for a scheduled publish held back at its go-live."""

    @actions.register_action(guard.HELD_BACK_ACTION)
    class HeldBackFormatter(LogFormatter):
        label = _("Scheduled publishing held back (Getty images)")

        def format_message(self, log_entry):
            reason = (log_entry.data or {}).get("reason", "")
            return _("Not published at its go-live, and taken out of the schedule: %(reason)s") % {
                "reason": reason
            }


_urls = [
    path("awaiting/", reports.AwaitingLicenceView.as_view(), name="awaiting"),
    path(
        "awaiting/results/", reports.AwaitingLicenceView.as_view(results_only=True), name="awaiting_results"
    ),
    path("licences/", reports.LicencesView.as_view(), name="licences"),
    path("licences/results/", reports.LicencesView.as_view(results_only=True), name="licences_results"),
]


@hooks.register("register_admin_urls")
def register_chooser_url():
    """The Getty field's and block's chooser modal, at /admin/getty-picker/choose/."""
    from . import chooser

    return [
        path(
            "getty-picker/",
            include(([path("choose/", chooser.choose, name="choose")], "getty_picker_admin")),
        )
    ]


@hooks.register("register_admin_urls")
def register_report_urls():
    """The reports, under /admin/reports/getty-picker/."""
    return [
        path(
            "reports/getty-picker/",
            include((_urls, "getty_picker_reports"), namespace="getty_picker_reports"),
        )
    ]


class _GettyReportMenuItem(MenuItem):
    def is_shown(self, request):
        return reports.may_view(request.user)


@hooks.register("register_reports_menu_item")
def register_awaiting_report():
    """Reports → "Getty images awaiting licence"."""
    return _GettyReportMenuItem(
        _("Getty images awaiting licence"),
        reverse("getty_picker_reports:awaiting"),
        icon_name="image",
        order=900,
    )


@hooks.register("register_reports_menu_item")
def register_licences_report():
    """Reports → "Getty licences"."""
    return _GettyReportMenuItem(
        _("Getty licences"), reverse("getty_picker_reports:licences"), icon_name="doc-full", order=901
    )


@hooks.register("insert_global_admin_js")
def admin_scripts():
    """The picker in chooser modals (the image chooser's Getty tab, the Getty field's modal) comes
    with the modal's HTML; its script is loaded on every admin page (small, no inline code in
    the modal, and the widget itself only once a picker is shown). ``admin.js``, what it shares
    with the field's ``field.js``, comes first, here only: Wagtail puts this hook's scripts
    before every page's form media, so it runs once, before both (deferred scripts run in
    document order)."""
    return format_html(
        '<script src="{}" defer></script><script src="{}" defer></script>',
        static("getty_picker/admin.js"),
        static("getty_picker/chooser.js"),
    )


@hooks.register("insert_global_admin_css")
def chooser_tab_styles():
    """The picker in chooser modals, in Wagtail's colours."""
    return format_html('<link rel="stylesheet" href="{}">', static("getty_picker/chooser.css"))


@hooks.register("register_rich_text_features", order=100)
def credit_rich_text_images(features):
    """Rich text's images print their Getty credit on the site (after Wagtail's own handler
    for ``image`` embeds is registered, which this one extends)."""
    from .credit import CreditedImageEmbedHandler

    features.register_embed_type(CreditedImageEmbedHandler)
