"""Start-up check: without raqm, Arabic and Urdu cards would be drawn as unjoined letters, left to right."""

from django.core import checks
from PIL import features


@checks.register()
def raqm_available(app_configs, **kwargs):
    if features.check("raqm"):
        return []
    return [
        checks.Error(
            "Pillow cannot shape text (raqm unavailable): share cards in Arabic and Urdu would be drawn wrongly.",
            hint="Install Debian's libfribidi0 (Pillow's wheels load libfribidi at run time).",
            id="convoca.cards.E001",
        )
    ]
