"""The Getty picker in Wagtail's chooser modal, in two places that render one panel
(``getty_picker/chooser/panel.html``, run by ``getty_picker/chooser.js``):

- A "Getty Images" tab in Wagtail's own image chooser: the modal behind every
  ``ImageChooserBlock``, image ``ForeignKey`` with ``FieldPanel`` and the rich-text image button.
  Wagtail builds that modal with the choose view of its image chooser viewset
  (``wagtail.images.views.chooser.viewset``). ``install`` gives the viewset a subclass of whatever
  choose view it has, with ``GettyTabMixin``: the modal renders Wagtail's own template unchanged,
  followed by the tab (``getty_picker/chooser/tab.html``), which the script moves into the
  modal's tab list. An image imported there is handed back through Wagtail's own "chosen" step
  (a ``data-chooser-modal-choice`` link in the panel), so the field, the block or the rich-text
  editor receive it exactly as an image picked from the library or uploaded.
- ``choose``: the modal of the Getty field and block (``GettyImageField``, ``GettyImageBlock``),
  opened with Wagtail's modal workflow, where a comp may be chosen too.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from wagtail.admin.modal_workflow import render_modal_workflow

from . import access
from .conf import PERMISSION, picker_settings
from .importer import is_getty_id

#: The template that puts Wagtail's chooser and the Getty tab together.
TEMPLATE = "getty_picker/chooser/chooser.html"
#: Stands for the chosen image's id in the chosen URL the tab is given.
ID_PLACEHOLDER = "0"


class GettyTabMixin:
    """For the image chooser's choose view: the modal gets the "Getty Images" tab for editors
    with either Getty permission (none for others)."""

    #: Wagtail's own template for the modal, rendered unchanged inside ``TEMPLATE``.
    wagtail_template_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["wagtail_chooser_template"] = self.wagtail_template_name
        context["getty_tab"] = tab_context(self.request, self._chosen_url_pattern())
        return context

    def _chosen_url_pattern(self):
        # The rich-text editor asks for the format step (alt text, alignment) after choosing.
        name = (
            "wagtailimages_chooser:select_format"
            if self.request.GET.get("select_format")
            else "wagtailimages_chooser:chosen"
        )
        return self.append_preserved_url_parameters(reverse(name, args=(ID_PLACEHOLDER,)))


#: What a panel chooses: a Wagtail image (image fields: licensed files only) ...
IMAGE = "image"
#: ... or a Getty field's value (a comp too).
VALUE = "value"


def panel_context(request, chooses, open_image=None):
    """What the panel needs, or ``None`` for an editor with neither Getty permission (or a site
    that did not include ``getty_picker.urls``)."""
    scope = access.scope_of(request.user)
    if scope is None:
        return None
    config = picker_settings()
    try:
        urls = {
            "library_url": reverse("getty_picker:library"),
            "import_url": reverse("getty_picker:import_start"),
        }
    except NoReverseMatch:
        return None
    return {
        **urls,
        "chooses": chooses,
        "token_url": config.token_url,
        "api_key": config.api_key,
        "api_base": config.api_base,
        "locale": config.locale,
        "may_license": scope == access.LICENSE,
        "licensors": licensors() if scope != access.LICENSE else [],
        "widget_entry": config.widget_entry,
        "open_image": open_image if open_image and is_getty_id(open_image) else None,
    }


def tab_context(request, chosen_url):
    """What the image chooser's tab needs, or ``None`` (no tab)."""
    panel = panel_context(request, IMAGE)
    if panel is not None:
        panel.update(chosen_url=chosen_url, id_placeholder=ID_PLACEHOLDER)
    return panel


def choose(request):
    """The Getty field's and block's chooser modal (Wagtail's modal workflow, step ``choose``);
    ``?open=<getty id>`` opens that image's details at once (a comp's "License it")."""
    panel = panel_context(request, VALUE, open_image=request.GET.get("open"))
    return render_modal_workflow(
        request, "getty_picker/chooser/modal.html", None, {"panel": panel}, json_data={"step": "choose"}
    )


def licensors(limit=5):
    """Who may license, as a search-only editor is told: the groups holding the licence
    permission (the users holding it themselves if no group does)."""
    app_label, codename = PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if permission is None:
        return []
    names = list(Group.objects.filter(permissions=permission).order_by("name").values_list("name", flat=True))
    if names:
        return names[:limit]
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(Q(user_permissions=permission) | Q(is_superuser=True), is_active=True)
        .distinct()
    )
    return [user.get_full_name() or user.get_username() for user in users.order_by("pk")[:limit]]


def install():
    """Gives Wagtail's image chooser the Getty tab: its viewset's choose view becomes a subclass
    of the one it has (a site's own subclass included) with ``GettyTabMixin``. Runs before the
    admin's URLs are built (``AppConfig.ready``); a second call changes nothing."""
    from wagtail.images.views.chooser import viewset

    current = viewset.choose_view_class
    if issubclass(current, GettyTabMixin):
        return current
    viewset.choose_view_class = type(
        f"Getty{current.__name__}",
        (GettyTabMixin, current),
        {
            "template_name": TEMPLATE,
            "wagtail_template_name": current.template_name,
            "__doc__": f"{current.__name__} with the Getty Images tab.",
        },
    )
    return viewset.choose_view_class
