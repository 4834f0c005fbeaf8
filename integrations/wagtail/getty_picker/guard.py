"""Publish only what was licensed: a page (or any model instance) holding a comp, or a licence
whose file is not in the image library, is not published, wherever the publish comes from.

- Wagtail's editor (publish, create and publish, revert and publish, schedule): the
  ``before_publish_page`` hook (``wagtail_hooks``) keeps the draft and sends the editor back
  to it with a message naming each image.
- Anything else that publishes (a moderator's approval from the editor or the dashboard, bulk
  publishing, code, a save with ``update_fields``): ``refuse_held_images``, connected by
  ``connect`` to ``pre_save`` of every model that can hold Getty images (and of ``Page``: a
  base page object going live publishes its specific content), refuses the save and raises
  ``HeldBack``; ``PublishGuardMiddleware`` turns that into the same message on the edit view.
  A model without drafts is live at every save: a save that brings in an image that may not
  be published is refused.
- Scheduling: ``refuse_scheduling_held_images`` (``pre_save`` of ``Revision``) refuses to set a
  go-live on a revision holding such images, wherever it is set (the editor, an approval).
- Go-live: ``hold_back`` is how the app's ``publish_scheduled`` command takes a page out of the
  schedule when it can no longer go live (a licence record or file deleted since): that page
  is not published, its history says why, and the other pages go live.
"""

from django.apps import apps
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, Page, Revision

from . import value as values
from .content import getty_fields, getty_images, holds_getty_images
from .models import GettyLicence
from .value import Comp, Licensed, Problem

#: The Wagtail log action of a scheduled publish held back at its go-live.
HELD_BACK_ACTION = "getty_picker.held_back"


class HeldBack(Exception):
    """Publishing ``instance`` was refused; ``problems`` are the messages, one per image.

    Not a ``PermissionDenied``: Wagtail's admin turns those into its generic "no permission"
    message, which would hide what to do."""

    def __init__(self, instance, problems, scheduling=False):
        self.instance = instance
        self.page_id = instance.pk if isinstance(instance, Page) else None
        self.problems = problems
        super().__init__(message(instance, problems, scheduling=scheduling))

    @property
    def edit_url(self):
        """Where the editor sees the message: the instance's edit view (``None`` for one not
        saved yet)."""
        if self.instance.pk is None:
            return None
        if isinstance(self.instance, Page):
            return reverse("wagtailadmin_pages:edit", args=[self.instance.pk])
        from wagtail.admin.admin_url_finder import AdminURLFinder

        return AdminURLFinder().get_edit_url(self.instance)


def problems_of(instance, fields=None):
    """What keeps ``instance`` (a specific instance with the content to publish) from going
    live: one message per image, naming it, where it is and what to do. ``fields``: only the
    images in the fields of these names."""
    found = getty_images(instance, fields)
    records = GettyLicence.objects.in_bulk(
        [item.image.licence for item in found if isinstance(item.image, Licensed)]
    )
    comps = {item.image.id for item in found if isinstance(item.image, Comp)}
    held = (
        set(
            GettyLicence.objects.filter(getty_id__in=comps, image__isnull=False).values_list(
                "getty_id", flat=True
            )
        )
        if comps
        else set()
    )
    problems = []
    for item in found:
        image = item.image
        licence = records.get(image.licence) if isinstance(image, Licensed) else None
        problem = values.problem_of(image, licence)
        if problem is not None:
            problems.append(_say(problem, image, item.where, licence, image.id in held))
    return problems


def _say(problem, image, where, licence, held):
    named = {"id": image.id, "where": where}
    if problem is Problem.COMP:
        text = _(
            "“%(title)s” (Getty image %(id)s, in “%(where)s”) is a comp, not licensed: license it "
            "with “Download” in its picker, or remove it, then publish."
        ) % {**named, "title": image.label}
        if held:
            text += " " + _("The site holds a licence of it: “Use it” in its field takes it at no cost.")
        return text
    if problem is Problem.RECORD_MISSING:
        return (
            _(
                "The licence record of Getty image %(id)s (in “%(where)s”) could not be found: "
                "license it again with “Download” in its picker, or choose another image, then publish."
            )
            % named
        )
    if problem is Problem.OTHER_IMAGE:
        return _(
            "The licence record kept for Getty image %(id)s (in “%(where)s”) is that of Getty image "
            "%(other)s: choose the image again, then publish."
        ) % {**named, "other": licence.getty_id}
    title = licence.title or image.id
    if problem is Problem.FILE_DELETED:
        return _(
            "The licensed file of “%(title)s” (Getty image %(id)s, in “%(where)s”) was deleted from "
            "the image library: license it again with “Download” in its picker, then publish."
        ) % {**named, "title": title}
    return _(
        "The licensed file of “%(title)s” (Getty image %(id)s, in “%(where)s”) is not in the image "
        "library yet: use “Import again” in its field, then publish."
    ) % {**named, "title": title}


def message(instance, problems, scheduling=False):
    """The editor's message: the page was not published (or scheduled), and why."""
    title = instance.get_admin_display_title() if isinstance(instance, Page) else str(instance)
    if scheduling:
        head = _(
            "“%(page)s” was not scheduled for publishing: it holds Getty images that are not licensed "
            "and imported."
        )
    else:
        head = _("“%(page)s” was not published: it holds Getty images that are not licensed and imported.")
    return " ".join([head % {"page": title}, *problems])


def is_scheduling(instance):
    """Whether publishing ``instance`` now would schedule it (a go-live in the future)."""
    go_live_at = getattr(instance, "go_live_at", None)
    return bool(go_live_at and go_live_at > timezone.now())


def refuse_held_images(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save``: a save that makes content live (a publish: ``live`` turned on, a new live
    revision; any save of a model without drafts) must not bring in images that may not be
    published. Content already live is not judged again: a live page stays savable."""
    if raw:
        return
    model = type(instance)
    specific = model
    if isinstance(instance, Page) and not holds_getty_images(model):
        # A base page object: what goes live is its specific row as it is.
        specific = instance.specific_class
        if specific is None or specific is model or not holds_getty_images(specific):
            return
    written = None if update_fields is None else set(update_fields)
    fields = [field.name for field in getty_fields(specific) if written is None or field.name in written]
    if specific is not model:
        fields = []  # a base page object writes none of them
    drafts = isinstance(instance, DraftStateMixin)
    if (
        written is not None
        and not fields
        and not (drafts and (_writes(written, "live") or _writes(written, "live_revision")))
    ):
        return  # neither content nor what is live changes (Wagtail's own bookkeeping saves)
    before = None
    if instance.pk is not None:
        before = (
            model._default_manager.filter(pk=instance.pk)
            .values(*(["live", "live_revision_id"] if drafts else ["pk"]))
            .first()
        )
    if drafts:
        live = instance.live if _writes(written, "live") or before is None else before["live"]
        if not live:
            return
        live_revision = (
            instance.live_revision_id
            if _writes(written, "live_revision") or before is None
            else before["live_revision_id"]
        )
        publishing = before is None or not before["live"] or before["live_revision_id"] != live_revision
    else:
        publishing = before is None
    if publishing:
        problems = problems_of(_content_after(instance, specific, written, fields))
    elif fields:
        already = set(problems_of(specific._default_manager.get(pk=instance.pk), fields))
        problems = [problem for problem in problems_of(instance, fields) if problem not in already]
    else:
        return
    if problems:
        raise HeldBack(instance, problems, scheduling=False)


def _writes(written, name):
    return written is None or name in written or f"{name}_id" in written


def _content_after(instance, specific, written, fields):
    """The content ``instance``'s save leaves: the instance's own values for the Getty fields
    it writes, the stored ones for the others."""
    if written is None and specific is type(instance):
        return instance
    stored = specific._default_manager.filter(pk=instance.pk).first() if instance.pk is not None else None
    if stored is None:
        return instance
    for name in fields:
        setattr(stored, name, getattr(instance, name))
    return stored


def refuse_scheduling_held_images(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` of ``Revision``: a go-live may not be set on a revision holding images that
    may not be published (Wagtail sets it when a publish, or an approval, has a future go-live)."""
    if raw or instance.approved_go_live_at is None:
        return
    if update_fields is not None and "approved_go_live_at" not in update_fields:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is None or not holds_getty_images(model):
        return
    content = instance.as_object()
    problems = problems_of(content)
    if problems:
        raise HeldBack(content, problems, scheduling=True)


def hold_back(instance, problems):
    """Takes ``instance`` (a page or snippet whose scheduled revision could not go live) out of
    the schedule and says why in its history."""
    Revision.objects.for_instance(instance).filter(approved_go_live_at__isnull=False).update(
        approved_go_live_at=None
    )
    log(
        instance=instance,
        action=HELD_BACK_ACTION,
        data={"reason": message(instance, problems)},
    )


def connect():
    """Connects the guard: to ``pre_save`` of every model that can hold Getty images, of
    ``Page`` and of ``Revision`` (called once the apps are ready)."""
    for model in apps.get_models():
        if holds_getty_images(model):
            pre_save.connect(
                refuse_held_images, sender=model, dispatch_uid=f"getty_picker_guard_{model._meta.label}"
            )
    pre_save.connect(refuse_held_images, sender=Page, dispatch_uid="getty_picker_guard_page")
    pre_save.connect(
        refuse_scheduling_held_images, sender=Revision, dispatch_uid="getty_picker_guard_scheduling"
    )
