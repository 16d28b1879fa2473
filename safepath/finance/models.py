"""The finance app's data and invariants."""
