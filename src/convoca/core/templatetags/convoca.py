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
