"""The methodology note generated with each release: sources, period, k, epsilon, suppression.

Written for the reader of a published table (a rapporteur, a journalist): what the figures
count, how they were protected, and what the protection removed. Rare groups (children, small
countries, non-binary people) are the first to vanish under both suppression and noise, so the
note says which categories lost cells.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from safepath.evidence.engine.store import SourceInfo


def _period(info: SourceInfo | None, metadata: dict[str, Any]) -> str:
    where = metadata.get("where") or {}
    for name in ("year_identified", "yearOfRegistration", "yearRegister"):
        if name in where:
            return ", ".join(str(v) for v in where[name])
    if info is not None:
        return _("all years in the source (loaded %(when)s)") % {"when": info.loaded_at.date()}
    return _("all years in the source")


def methodology_note(*, title: str, info: SourceInfo | None, metadata: dict[str, Any]) -> str:
    """Markdown text; every figure comes from the release's own metadata."""
    lines = [f"# {title}", "", f"## {_('Source')}", ""]
    if info is not None and info.schema.startswith(("global_", "vp_")):
        lines.append(
            _(
                "Imported CTDC-format file %(origin)s (schema %(schema)s, %(rows)s records). "
                "Source: Counter-Trafficking Data Collaborative (CTDC)."
            )
            % {"origin": info.origin, "schema": info.schema, "rows": info.rows}
        )
    else:
        lines.append(
            _(
                "De-identified extract of this system's case records (source '%(source)s'): no "
                "names, no dates of birth, only the grouped fields listed below."
            )
            % {"source": metadata.get("source", "")}
        )
    lines += [
        "",
        f"- {_('Period')}: {_period(info, metadata)}",
        f"- {_('Broken down by')}: {', '.join(metadata.get('by', []))}",
        f"- {_('Filter')}: {metadata.get('where') or _('none')}",
        f"- {_('Generated')}: {metadata.get('generated_at', '')}",
        "",
        f"## {_('Disclosure control')}",
        "",
    ]
    k = metadata.get("k")
    if metadata.get("method") == "differential_privacy":
        lines.append(
            _(
                "Differential privacy: each count has random noise added with OpenDP's discrete "
                "Laplace mechanism, epsilon = %(epsilon)s, noise scale %(scale)s (one case is "
                "the unit of privacy; sensitivity %(sensitivity)s). Each figure is published "
                "with its 95%% interval. Totals are sums of the noisy cells. The epsilon is "
                "recorded in the source's privacy-budget ledger. Noisy counts below %(k)s "
                "are not printed because they are unreliable."
            )
            % {
                "epsilon": metadata.get("epsilon"),
                "scale": metadata.get("noise_scale"),
                "sensitivity": metadata.get("sensitivity"),
                "k": k,
            }
        )
    else:
        lines.append(
            _(
                "Threshold rule: no count between 1 and %(k_minus)s is published (k = %(k)s, "
                "as CTDC). Secondary suppression: further cells are hidden so that no hidden "
                "count can be worked out from the published cells, rows, columns and totals "
                "(each hidden cell is a corner of a box of hidden cells that can move together "
                "without changing any published figure). Zeros are published."
            )
            % {"k": k, "k_minus": (k or 11) - 1}
        )
        lines.append("")
        lines.append(
            _("Cells hidden: %(primary)s below the threshold, %(secondary)s to protect them.")
            % {
                "primary": metadata.get("primary_suppressed", 0),
                "secondary": metadata.get("secondary_suppressed", 0),
            }
        )
    lines += ["", f"## {_('What was suppressed')}", ""]
    lost = metadata.get("suppressed_by_dimension") or {}
    any_lost = False
    for dimension, categories in lost.items():
        if categories:
            any_lost = True
            shown = ", ".join(f"{name} ({cells})" for name, cells in categories.items())
            lines.append(f"- {dimension}: {shown}")
    if not any_lost:
        lines.append(_("No cell was suppressed."))
    lines += [
        "",
        _(
            "Rare groups disappear first: children, non-binary people and small countries "
            "fall below the threshold (or under the noise) long before large groups do. A "
            "hidden cell means 'too few to publish safely', never 'none'."
        ),
    ]
    return "\n".join(lines) + "\n"
