"""Which column holds which field, guessed from the header, and how a cell becomes a value.

Headers and cell values are compared folded: case, accents and punctuation ignored, so that
"E-Mail-Adresse", "Correo electrónico" and "email" all read as the e-mail column.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from babel import Locale
from django.utils.translation import gettext_lazy as _

from convoca.core import l10n, languages
from convoca.statements.models import Endorsement

# The fields a column can fill, in the order of the form.
FIELDS = {
    "name": _("Name"),
    "email": _("E-mail"),
    "kind": _("Person or organization"),
    "organization": _("Organization"),
    "country": _("Country"),
    "city": _("City"),
    "public": _("Consents to be listed publicly"),
    "updates": _("Consents to receive updates"),
    "source": _("Partner"),
    "language": _("Language"),
}
REQUIRED = ("name", "email")
LIMITS = {"name": 100, "email": 254, "organization": 200, "city": 100}


def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only (any script)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", "", kept)


# Header names, folded, in English and the interface languages, most specific first.
HEADER_NAMES = {
    "email": [
        "email", "emailaddress", "mail", "correo", "correoelectronico", "courriel", "adressemail",
        "adresseemail", "emailadresse", "eposta", "epostaadresi", "indirizzoemail", "endereçodeemail",
        "enderecodeemail", "البريدالالكتروني", "البريدالإلكتروني", "ایمیل", "ای میل",
    ],
    "organization": [
        "organization", "organisation", "organizationname", "organisationname", "org", "organizacion",
        "organizacao", "organizzazione", "kurulus", "kurum", "منظمة", "المنظمة", "تنظیم", "company",
    ],
    "name": [
        "name", "fullname", "yourname", "nombre", "nombrecompleto", "nom", "nomcomplet", "nome",
        "nomecompleto", "vollstandigername", "adsoyad", "ad", "isim", "الاسم", "اسم", "نام",
    ],
    "kind": ["kind", "type", "endorsertype", "signeras", "tipo", "art", "tur", "النوع", "قسم"],
    "country": ["country", "pais", "pays", "land", "paese", "ulke", "البلد", "الدولة", "بلد", "ملک"],
    "city": ["city", "town", "ciudad", "ville", "cidade", "stadt", "ort", "citta", "sehir", "المدينة", "شہر"],
    "public": [
        "public", "listpublicly", "listmyname", "listmynamepublicly", "showmyname", "publiclisting", "showname",
        "listed", "consentpublic",
        "publico", "publique", "offentlich", "pubblico", "herkesegorunsun", "عام", "عوامی",
    ],
    "updates": [
        "updates", "sendmeupdates", "newsletter", "keepmeinformed", "consentupdates", "optin",
        "novedades", "actualizaciones", "nouvelles", "novidades", "neuigkeiten", "aggiornamenti",
        "guncellemeler", "تحديثات", "اپڈیٹس",
    ],
    "source": [
        "source", "partner", "referrer", "ref", "fuente", "origen", "socio", "partenaire", "parceiro", "quelle",
        "kaynak", "المصدر", "ذریعہ",
    ],
    "language": ["language", "lang", "locale", "idioma", "langue", "lingua", "sprache", "dil", "اللغة", "زبان"],
}  # fmt: skip
HEADER_NAMES = {field: [fold(name) for name in names] for field, names in HEADER_NAMES.items()}


def guess(header: list[str]) -> dict[str, int]:
    """Field → column number, from the header's names: exact names first, then names that contain one."""
    folded = [fold(cell) for cell in header]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for field, names in HEADER_NAMES.items():
            if field in found:
                continue
            for name in names:
                matches = [
                    index
                    for index, cell in enumerate(folded)
                    if index not in taken and cell and (cell == name if exact else (len(name) >= 4 and name in cell))
                ]
                if matches:
                    found[field] = matches[0]
                    taken.add(matches[0])
                    break
    return found


YES = {
    "yes",
    "y",
    "true",
    "1",
    "x",
    "on",
    "checked",
    "si",
    "sí",
    "oui",
    "sim",
    "ja",
    "evet",
    "نعم",
    "ہاں",
    "جی",
    "✓",
    "✔",
}
NO = {"no", "n", "false", "0", "off", "non", "nao", "não", "nein", "hayir", "hayır", "لا", "نہیں", "-", "unchecked"}
YES = {fold(word) or word for word in YES}
NO = {fold(word) or word for word in NO}


@lru_cache(maxsize=4096)  # cells repeat: yes, no, a few countries…
def consent(cell: str) -> bool | None:
    """True or False from a yes/no cell (empty means no: consent is never assumed); None if unclear."""
    text = cell.strip()
    if not text:
        return False
    key = fold(text) or text
    if key in YES:
        return True
    if key in NO:
        return False
    return None


KINDS = {
    Endorsement.Kind.PERSON: ["person", "individual", "persona", "personne", "pessoa", "kisi", "birey", "فرد", "شخص"],
    Endorsement.Kind.ORGANIZATION: [
        "organization", "organisation", "org", "organizacion", "organizacao", "organizzazione", "kurulus",
        "kurum", "منظمة", "تنظیم", "group", "ngo",
    ],
}  # fmt: skip
KIND_BY_NAME = {fold(name): kind for kind, names in KINDS.items() for name in names}


@lru_cache(maxsize=1024)
def kind(cell: str) -> str | None:
    return KIND_BY_NAME.get(fold(cell))


ALIASES = {"usa": "US", "unitedstatesofamerica": "US", "uk": "GB", "greatbritain": "GB", "england": "GB"}


@cache
def _countries() -> dict[str, str]:
    """Folded country name in any interface language (and ISO codes) → ISO 3166-1 alpha-2 code."""
    names = dict(ALIASES)
    for language in languages.CODES:
        for code, name in Locale.parse(language).territories.items():
            if code in l10n.COUNTRY_CODES:
                names.setdefault(fold(name), code)
    for code in l10n.COUNTRY_CODES:
        names[fold(code)] = code
    return names


@lru_cache(maxsize=4096)
def country(cell: str) -> str | None:
    text = cell.strip()
    if len(text) == 2 and text.upper() in l10n.COUNTRY_CODES:
        return text.upper()
    from django_countries import countries

    if len(text) == 3 and text.isalpha() and (code := countries.alpha2(text.upper())):
        return code
    return _countries().get(fold(text))


@cache
def _languages() -> dict[str, str]:
    names = {}
    for language in languages.REGISTRY:
        names[fold(language.code)] = language.code
        names[fold(language.native_name)] = language.code
        names[fold(language.english_name)] = language.code
    return names


@lru_cache(maxsize=1024)
def language(cell: str) -> str | None:
    text = cell.strip()
    base = re.split(r"[-_]", text, maxsplit=1)[0]
    return _languages().get(fold(text)) or (_languages().get(fold(base)) if len(base) == 2 else None)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA, as spreadsheets label columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
