from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from convoca.core import languages


def convoca(request):
    current = languages.get(translation.get_language() or languages.DEFAULT)
    path = request.get_full_path() if request.method == "GET" else request.path
    switcher = [
        {"language": language, "url": translate_url(path, language.code), "current": language == current}
        for language in languages.REGISTRY
    ]
    return {
        "current_language": current,
        "language_switcher": switcher,
        "demo": settings.CONVOCA.demo,
        "demo_outbox": settings.CONVOCA.demo and settings.CONVOCA.email is None,
    }
