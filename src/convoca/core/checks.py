"""`convoca check --deploy`: what Django's own deployment checks cannot know about Convoca."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def behind_a_trusted_proxy(app_configs, **kwargs):
    config = settings.CONVOCA
    if config.demo or not config.base_url.startswith("https://") or config.trusted_proxies:
        return []
    return [
        checks.Warning(
            "CONVOCA_TRUSTED_PROXIES is empty, so X-Forwarded-Proto and X-Forwarded-For from nginx are ignored: "
            "every request looks like plain HTTP (an endless redirect to https) and every visitor like nginx "
            "(one rate limit for all).",
            hint="Set CONVOCA_TRUSTED_PROXIES to the address nginx connects from, e.g. 127.0.0.1 (docs/deploy.md).",
            id="convoca.W001",
        )
    ]
