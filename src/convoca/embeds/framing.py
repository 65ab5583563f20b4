"""Embeds are the only pages another site may frame.

Every other answer keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY` (settings.py);
`framable` relaxes both for one view: `frame-ancestors` lists CONVOCA_EMBED_ANCESTORS (default
`*`), and X-Frame-Options is left out (it cannot name several sites; browsers that know CSP
ignore it anyway when `frame-ancestors` is present).
"""

from functools import wraps

from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def framable(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # what django-csp's @csp_replace sets, read per request so that the setting can change
        response._csp_replace = {"frame-ancestors": list(settings.CONVOCA.embed_ancestors)}
        return response

    wrapper.framable = True
    return xframe_options_exempt(wrapper)
