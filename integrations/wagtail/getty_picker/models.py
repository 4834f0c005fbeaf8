"""The app's permission, and the model field that keeps a chosen Getty image in a page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .forms import GettyImageFormField


class GettyPickerPermission(models.Model):
    """No table: only the anchor for ``getty_picker.license_image`` (Django permissions need a model)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("license_image", _("Can search and license Getty images"))]
        verbose_name = _("Getty Images picker")


class GettyImageField(models.JSONField):
    """A Getty image chosen in the editor: a dict (see ``getty_picker.value``) or ``None``."""

    description = _("Getty image")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": GettyImageFormField, **kwargs})
