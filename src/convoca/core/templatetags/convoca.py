from django import template

from convoca.core import l10n

register = template.Library()


@register.filter
def number(value):
    """A count formatted for the current language (1,234 · 1.234 · 1 234)."""
    return l10n.format_number(value)


@register.filter
def country_name(code):
    return l10n.country_name(code)


@register.filter
def local_when(value, zone=None):
    """A moment in `zone` (an action's time zone), in the current language's order and punctuation."""
    return l10n.format_when(value, zone) if value else ""


@register.filter
def local_clock(value, zone=None):
    """A time of day in `zone`, in the current language's form."""
    return l10n.format_clock(value, zone) if value else ""
