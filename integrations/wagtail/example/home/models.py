"""The example's page type: a lead Getty image, a photo chosen with Wagtail's image chooser, and
a body that may hold more Getty images, also inside other blocks (a figure with a caption, a
gallery)."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from getty_picker.blocks import GettyImageBlock
from getty_picker.models import GettyImageField


class HomePage(Page):
    """A page with a lead Getty image and a body that may hold more."""

    getty_image = GettyImageField(verbose_name="Lead image (Getty Images)")
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock()),
            # Wagtail's own image block, with the image chooser's "Getty Images" tab.
            ("photo", ImageChooserBlock(label="Photo", template="home/photo_block.html")),
            ("getty_image", GettyImageBlock(label="Getty image")),
            (
                "figure",
                blocks.StructBlock(
                    [
                        ("image", GettyImageBlock(label="Image")),
                        ("caption", blocks.CharBlock(required=False)),
                    ],
                    label="Figure",
                    template="home/figure_block.html",
                ),
            ),
            ("gallery", blocks.ListBlock(GettyImageBlock(label="Image"), label="Gallery")),
        ],
        blank=True,
    )

    # Wagtail's own image chooser (with its "Getty Images" tab): a plain image ForeignKey.
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Photo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("getty_image"),
        FieldPanel("photo"),
        FieldPanel("body"),
    ]
