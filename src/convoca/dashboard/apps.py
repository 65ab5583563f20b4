from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "convoca.dashboard"
    label = "dashboard"

    def ready(self):
        from convoca.dashboard import jobs  # noqa: F401 - registers the export job
