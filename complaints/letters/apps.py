from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "complaints.letters"
    label = "letters"
    verbose_name = "DISP letters"
