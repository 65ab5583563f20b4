from django.conf import settings
from django.utils import translation

from convoca.core import languages


def in_language(path: str, code: str) -> str:
    """`path` in the language `code`: its language prefix swapped, query string kept. No URL pattern
    is translated, so this is what Django's `translate_url` gives (it resolves and reverses the
    path: about 0.4 ms per language, on every page); a path outside the language prefixes stays."""
    head, slash, rest = path[1:].partition("/")
    if slash and head in languages.CODES:
        return f"/{code}/{rest}"
    return path


def convoca(request):
    current = languages.get(translation.get_language() or languages.DEFAULT)
    path = request.get_full_path() if request.method == "GET" else request.path
    switcher = [
        {"language": language, "url": in_language(path, language.code), "current": language == current}
        for language in languages.REGISTRY
    ]
    return {
        "current_language": current,
        "language_switcher": switcher,
        "demo": settings.CONVOCA.demo,
        "demo_outbox": settings.CONVOCA.demo and settings.CONVOCA.email is None,
    }
