"""The linkage app's data and invariants."""
