from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "convoca.statements"
    label = "statements"

    def ready(self):
        from convoca.statements import jobs, mails  # noqa: F401 - registers mail builders and jobs
