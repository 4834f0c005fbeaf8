"""The example site's URLs: Wagtail's admin, the picker's forward-auth check, the media files,
the pages."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls


def media(request, path):
    """The image library's files and renditions. The example serves them itself so that the
    demo's thumbnails and pages load; a real site lets its web server or storage do it."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # PICKER_AUTH_URL = http://127.0.0.1:8000/getty-picker/auth/
    path("getty-picker/", include("getty_picker.urls")),
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media),
    path("", include(wagtail_urls)),
]
