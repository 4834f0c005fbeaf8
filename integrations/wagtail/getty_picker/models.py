"""The app's permissions, the licence record kept beside each imported Getty file, the index of
where pages use Getty images, and the model field that keeps a chosen Getty image in a page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model_string


class GettyPickerPermission(models.Model):
    """No table: only the anchor for the app's permissions (Django permissions need a model)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("license_image", _("Can search and license Getty images")),
            ("search_image", _("Can search Getty images")),
        ]
        verbose_name = _("Getty Images picker")


class GettyLicence(models.Model):
    """One Getty image the site licensed, as Getty confirmed it to the server: the company's
    download of it (product, agreement, project code, notes, when and by which Getty user, from
    Getty's download history), what the image is (title, caption, credit line, artist,
    collection, usage restrictions, from Getty's metadata), the Wagtail user who had it
    imported, and the Wagtail image holding the file once it is imported.

    Made only by the app's import (``getty_picker.importer``), one per Getty id, and only once
    Getty confirmed the download (``verified_at``); the first confirmed record is never
    overwritten. Until the file is stored, ``delivery_uri`` keeps Getty's link (valid about a
    day) so that "Import again" can finish it without a new download; it is emptied once the
    file is stored. Rows made by earlier versions from what the browser reported have no
    ``verified_at``; the next import of that image replaces them with Getty's answers.
    """

    getty_id = models.CharField(_("Getty id"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    credit_line = models.CharField(_("credit line"), max_length=500, blank=True)
    copyright = models.CharField(_("copyright"), max_length=500, blank=True)
    artist = models.CharField(_("artist"), max_length=500, blank=True)
    collection_name = models.CharField(_("Getty collection"), max_length=500, blank=True)
    asset_family = models.CharField(_("asset family"), max_length=50, blank=True)
    allowed_use = models.CharField(_("how it may be used"), max_length=500, blank=True)
    usage_restrictions = models.JSONField(_("usage restrictions"), default=list, blank=True)
    keywords = models.JSONField(
        _("keywords"),
        default=list,
        blank=True,
        help_text=_("Getty's keywords of the image, most relevant first."),
    )
    product_type = models.CharField(_("product type"), max_length=50, blank=True)
    product_id = models.CharField(_("product id"), max_length=50, blank=True)
    product_name = models.CharField(_("product"), max_length=500, blank=True)
    agreement_name = models.CharField(_("agreement"), max_length=500, blank=True)
    project_code = models.CharField(_("project code"), max_length=500, blank=True)
    download_notes = models.TextField(_("download notes"), blank=True)
    licensed_at = models.DateTimeField(_("licensed at"), db_index=True)
    licensed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("licensed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image = models.OneToOneField(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="getty_licence",
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    delivery_uri = models.TextField(_("delivery URI"), blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    import_error = models.TextField(_("last import error"), blank=True)
    import_attempts = models.PositiveIntegerField(_("import attempts"), default=0)
    date_downloaded = models.DateTimeField(_("downloaded at (Getty)"), null=True, blank=True)
    downloaded_by = models.CharField(_("downloaded by (Getty user)"), max_length=255, blank=True)
    verified_at = models.DateTimeField(_("confirmed by Getty at"), null=True, blank=True)
    getty_sizes = models.JSONField(
        _("Getty's pixel sizes"),
        default=list,
        blank=True,
        help_text=_("[width, height] of the original and of each download size Getty names."),
    )

    class Meta:
        verbose_name = _("Getty licence")
        verbose_name_plural = _("Getty licences")
        default_permissions = ()
        ordering = ["-licensed_at", "-pk"]

    def __str__(self):
        return f"{self.title or self.getty_id} ({self.getty_id})"

    @property
    def is_imported(self):
        """Whether the licensed file is in the image library."""
        return self.image_id is not None

    @property
    def is_verified(self):
        """Whether Getty confirmed this licence to the server (rows of earlier versions: no)."""
        return self.verified_at is not None

    @property
    def product(self):
        """The product as the editor saw it: "name · agreement"."""
        return " · ".join(part for part in (self.product_name, self.agreement_name) if part)


class GettyImageUse(models.Model):
    """Where a page's latest revision holds a Getty image (rebuilt at each revision), so the
    reports can list comps awaiting a licence and where each licence is used."""

    STATE_COMP = "comp"
    STATE_LICENSED = "licensed"
    STATES = [(STATE_COMP, _("Comp, not licensed")), (STATE_LICENSED, _("Licensed"))]

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    getty_id = models.CharField(_("Getty id"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=STATES)
    licence = models.ForeignKey(
        GettyLicence, verbose_name=_("licence"), null=True, on_delete=models.SET_NULL, related_name="uses"
    )
    where = models.CharField(_("where"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Getty image use")
        default_permissions = ()


class GettyImageField(models.JSONField):
    """A Getty image chosen in the editor: a dict (see ``getty_picker.value``) or ``None``."""

    description = _("Getty image")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        from .forms import GettyImageFormField

        return super().formfield(**{"form_class": GettyImageFormField, **kwargs})

    def validate(self, value, model_instance):
        """A model without drafts is live at every save: a comp cannot be kept in it (its form
        says so; the publish guard refuses the save anyway)."""
        super().validate(value, model_instance)
        from wagtail.models import DraftStateMixin

        from .value import Comp, read

        if not isinstance(model_instance, DraftStateMixin | type(None)) and isinstance(read(value), Comp):
            raise ValidationError(
                _(
                    "This Getty image is a comp, not licensed, and what is saved here is published at "
                    "once: license it with “Download” in the picker first."
                ),
                code="comp",
            )

    def extract_references(self, value):
        """For Wagtail's reference index: the library image of a licensed value."""
        from .content import references

        return references(value)


class GettyImport(models.Model):
    """One licensed file's way into the image library, run as a background task: what the
    browser asked for (a Getty id and the delivery link Getty gave it), how far the import got,
    and its outcome (the licence record and so the Wagtail image, or why not).

    The editor's browser polls it; a worker runs it (``getty_picker.tasks``); a task whose
    worker died is enqueued again once the import has stopped beating (``getty_picker.imports``).
    The link is kept while "Import again" may need it and emptied once the file is imported."""

    QUEUED = "queued"
    RUNNING = "running"
    IMPORTED = "imported"
    FAILED = "failed"
    STATES = [
        (QUEUED, _("Waiting for a worker")),
        (RUNNING, _("Importing")),
        (IMPORTED, _("Imported")),
        (FAILED, _("Not imported")),
    ]

    getty_id = models.CharField(_("Getty id"), max_length=64, db_index=True)
    delivery_uri = models.TextField(_("delivery URI"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=20, choices=STATES, default=QUEUED, db_index=True)
    error = models.TextField(_("why it was not imported"), blank=True)
    error_code = models.CharField(_("error code"), max_length=50, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    licence = models.ForeignKey(
        GettyLicence,
        verbose_name=_("licence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )

    class Meta:
        verbose_name = _("Getty image import")
        verbose_name_plural = _("Getty image imports")
        default_permissions = ()
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.getty_id} ({self.state})"

    @property
    def is_finished(self):
        """Whether the import ended (imported, or failed for a reason it can say)."""
        return self.state in (self.IMPORTED, self.FAILED)
