"""A StreamField block holding one Getty image (same widget and value as the model field)."""

from django.utils.functional import cached_property
from wagtail import blocks

from .forms import GettyImageFormField


class GettyImageBlock(blocks.FieldBlock):
    """A Getty image chosen in the editor; its value is the dict ``getty_picker.value`` describes.

    ``{% include_block %}`` renders it with ``getty_picker/block.html``: the imported file with its
    credit (``{% getty_image %}``).
    """

    def __init__(self, required=True, help_text=None, **kwargs):
        self._required = required
        self._help_text = help_text
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        return GettyImageFormField(required=self._required, help_text=self._help_text)

    def extract_references(self, value):
        """For Wagtail's reference index: the library image of a licensed value."""
        from .content import references

        yield from references(value)

    def get_comparison_class(self):
        """Revision comparisons show the image (thumbnail, title, state), not its JSON."""
        from .compare import GettyImageBlockComparison

        return GettyImageBlockComparison

    class Meta:
        icon = "image"
        default = None
        # The model field's value renders the same way: ``{% getty_image page.lead_image %}``.
        template = "getty_picker/block.html"
