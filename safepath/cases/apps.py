from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safepath.cases"
    label = "cases"
    verbose_name = "Children and cases"
