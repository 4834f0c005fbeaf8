"""Who may do what with Getty images: license, search only, or neither."""

from .conf import PERMISSION, SEARCH_PERMISSION

#: Searches and licenses: the token service hands the user's Getty token.
LICENSE = "license"
#: Searches and chooses only: the token service hands a search-only token.
SEARCH = "search"
#: Either of the two (for checks that spend nothing).
ANY = "any"


def scope_of(user):
    """``LICENSE``, ``SEARCH`` or ``None`` for ``user``: Wagtail's admin access and one of the
    app's permissions (superusers have both)."""
    if not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
        return None
    if user.has_perm(PERMISSION):
        return LICENSE
    if user.has_perm(SEARCH_PERMISSION):
        return SEARCH
    return None
