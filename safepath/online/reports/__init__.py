"""Reports onward: the CyberTipline-modelled XML export (validated with xmlschema)."""

from safepath.online.reports.cybertip import (
    CyberTipFile,
    CyberTipInput,
    CyberTipLawEnforcement,
    ReportError,
    render_cybertip,
    validate_cybertip,
)

__all__ = [
    "CyberTipFile",
    "CyberTipInput",
    "CyberTipLawEnforcement",
    "ReportError",
    "render_cybertip",
    "validate_cybertip",
]
