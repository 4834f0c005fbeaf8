"""Turns a refused publish (``guard.HeldBack``, raised while a page holding a comp was about to
go live) into Wagtail's error message on the page's edit view, for every admin view that
publishes without the editor's ``before_publish_page`` hook: a moderator's approval (from the
editor, or the dashboard's dialog), bulk publishing."""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.utils import get_valid_next_url_from_request

from .guard import HeldBack


class PublishGuardMiddleware:
    """Add ``"getty_picker.middleware.PublishGuardMiddleware"`` to ``MIDDLEWARE`` (after the
    message middleware). Without it the refusal still holds, as a server error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """The message and the page's edit view, for ``HeldBack`` only."""
        if not isinstance(exception, HeldBack):
            return None
        messages.error(request, str(exception.args[0]) if exception.args else "")
        # Something not saved yet (a copy, say) has no edit view: back where the editor was.
        url = exception.edit_url or get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's workflow dialog follows the redirect it is given.
            return render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": url}
            )
        return redirect(url)
