"""The evidence app's data and invariants."""
