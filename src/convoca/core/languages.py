"""The one language registry: code, native name and text direction.

It drives Django's LANGUAGES (and so the URL prefixes and negotiation), `<html lang dir>`, the
language switcher and the right-to-left stylesheet. Adding a language is one line here plus its
gettext catalogue.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str
    native_name: str
    direction: str = "ltr"

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


REGISTRY: tuple[Language, ...] = (
    Language("en", "English", "English"),
    Language("es", "Spanish", "Español"),
    Language("fr", "French", "Français"),
    Language("pt", "Portuguese", "Português"),
    Language("de", "German", "Deutsch"),
    Language("it", "Italian", "Italiano"),
    Language("tr", "Turkish", "Türkçe"),
    Language("ar", "Arabic", "العربية", "rtl"),
    Language("ur", "Urdu", "اردو", "rtl"),
)

BY_CODE = {language.code: language for language in REGISTRY}
CODES = tuple(BY_CODE)
DEFAULT = "en"
DJANGO_LANGUAGES = [(language.code, language.english_name) for language in REGISTRY]


def get(code: str) -> Language:
    return BY_CODE.get(code, BY_CODE[DEFAULT])
