"""The example's page type: one Getty image field and a body with Getty image blocks."""

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from getty_picker.blocks import GettyImageBlock
from getty_picker.models import GettyImageField


class HomePage(Page):
    """A page with a lead Getty image and a body that may hold more."""

    getty_image = GettyImageField(verbose_name="Lead image (Getty Images)")
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock()),
            ("getty_image", GettyImageBlock(label="Getty image")),
        ],
        blank=True,
    )

    content_panels = Page.content_panels + [FieldPanel("getty_image"), FieldPanel("body")]
