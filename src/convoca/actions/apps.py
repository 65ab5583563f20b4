from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "convoca.actions"
    label = "actions"

    def ready(self):
        from convoca.actions import jobs, mails  # noqa: F401 - registers mail builders and jobs
