"""Disaggregated statistics with disclosure control (ICAT action 9)."""
