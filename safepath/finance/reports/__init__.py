"""Reports from alerts: goAML-style STR XML (per-FIU profile, xmlschema) and SAR-style fields."""

from safepath.finance.reports.goaml import indicator_codes, render_goaml, validate_goaml
from safepath.finance.reports.profiles import Profile, ReportError, load_profile, shipped_profiles
from safepath.finance.reports.sar import render_sar_fields

__all__ = [
    "Profile",
    "ReportError",
    "indicator_codes",
    "load_profile",
    "render_goaml",
    "render_sar_fields",
    "shipped_profiles",
    "validate_goaml",
]
