from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "safepath.cases"
    label = "cases"
    verbose_name = _("Children and cases")

    def ready(self) -> None:
        from safepath.cases import documents, name_keys, search_indexes
        from safepath.core import backup, rotation

        # key rotation covers the sealed document files and the name indexes, not only fields
        rotation.register(documents.sealed_things)
        rotation.register(search_indexes.sealed_things)
        rotation.register(name_keys.sealed_things)
        # `safepath backup` holds the sealed document files with the database
        backup.register_folder("documents")
