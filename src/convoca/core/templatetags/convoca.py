from django import template
from django.utils.html import format_html, format_html_join

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


@register.simple_tag
def place(action, venue=False):
    """An action's place, "venue, city, country", with the current language's separator; names
    that people typed are isolated (<bdi>) so that a right-to-left name cannot reorder the line."""
    parts = [format_html("<bdi>{}</bdi>", text) for text in ((action.venue if venue else ""), action.city) if text]
    if action.country:
        parts.append(format_html("{}", l10n.country_name(action.country)))
    return format_html_join(l10n.separator(), "{}", ((part,) for part in parts))
