"""Deduplication, family tracing and privacy-preserving cross-border matching.

ICAT actions 7 and 10.
"""
