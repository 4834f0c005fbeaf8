"""The example's page type: a lead Getty image, a photo chosen with Wagtail's image chooser
(which has a "Getty Images" tab), and a body that may hold more Getty images, also inside
other blocks (a figure with a caption, a gallery) and Wagtail's own image blocks; and two
models that are not pages, one with drafts and one without, whose Getty images the publish
guard covers too."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import DraftStateMixin, Page, RevisionMixin

from getty_picker.blocks import GettyImageBlock
from getty_picker.models import GettyImageField


class HomePage(Page):
    """A page with a lead Getty image, a photo from the image library and a body that may hold
    more of both."""

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


class Promo(DraftStateMixin, RevisionMixin, models.Model):
    """A model with drafts that is not a page (a publishable snippet, say): its Getty image is
    guarded at publishing as a page's is. Not in the admin; the tests publish it from code."""

    title = models.CharField(max_length=100)
    image = GettyImageField(verbose_name="Promo image")

    def __str__(self):
        return self.title


class Sponsor(models.Model):
    """A model without drafts: every save is live, so a save that brings in a comp is refused."""

    name = models.CharField(max_length=100)
    logo = GettyImageField(verbose_name="Sponsor image")

    def __str__(self):
        return self.name
