"""The evidence engine: analysis store, tables, disclosure control and formats.

Pure Python over DuckDB and Arrow; nothing here imports Django, so every rule is tested as a
plain function. The Django app (``services.py``) adds the budget ledger, releases and audit.
"""
