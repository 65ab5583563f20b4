from django.shortcuts import redirect


def see_other(to, *args, **kwargs):
    """303 See Other: after a form's POST, the browser GETs the next page (no resubmission)."""
    response = redirect(to, *args, **kwargs)
    response.status_code = 303
    return response
