from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "convoca.cards"
    label = "cards"

    def ready(self):
        from convoca.cards import checks  # noqa: F401 - registers the raqm check
