from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "convoca.imports"
    label = "imports"

    def ready(self):
        from convoca.imports import jobs  # noqa: F401 - registers the import runner and the clean-up
