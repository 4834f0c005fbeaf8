"""The example's page type: a lead Getty image and a body that may hold more, also inside other
blocks (a figure with a caption, a gallery); and two models that are not pages, one with drafts
and one without, whose Getty images the publish guard covers too."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, Page, RevisionMixin

from getty_picker.blocks import GettyImageBlock
from getty_picker.models import GettyImageField


class HomePage(Page):
    """A page with a lead Getty image and a body that may hold more."""

    getty_image = GettyImageField(verbose_name="Lead image (Getty Images)")
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock()),
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

    content_panels = Page.content_panels + [FieldPanel("getty_image"), FieldPanel("body")]


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
