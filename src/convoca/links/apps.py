from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "convoca.links"
    verbose_name = "Links"

    def ready(self):
        from convoca.links import mails  # noqa: F401 - registers the mail builder
