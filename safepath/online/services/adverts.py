"""Adverts and chat excerpts analysed for red flags, and the graph that links them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.core.exceptions import FieldValidationError
from safepath.online.engine import graph, hashing, indicators
from safepath.online.models import Advert
from safepath.online.policies import OnlineAction, online_policy
from safepath.online.services.common import audit, require

MAX_IMPORT = 2_000


@dataclass(frozen=True)
class AdvertInput:
    text: str
    kind: str = "advert"
    city: str = ""
    source_ref: str = ""
    images: tuple[tuple[str, bytes], ...] = ()  # (name, bytes): hashed in memory, dropped


def _prepare(data: AdvertInput, position: str = "") -> tuple[indicators.TextAnalysis, list[str]]:
    prefix = f"{position}." if position else ""
    problems: dict[str, list[str]] = {}
    if not data.text.strip():
        problems[f"{prefix}text"] = [_("Paste the advert or chat text.")]
    elif len(data.text) > indicators.MAX_TEXT:
        problems[f"{prefix}text"] = [_("At most %d characters.") % indicators.MAX_TEXT]
    if data.kind not in indicators.KINDS:
        problems[f"{prefix}kind"] = [_("Choose advert or chat.")]
    hashes = []
    for name, content in data.images:
        try:
            hashes.append(hashing.hash_bytes(content, name=name).pdq)
        except hashing.ImageError as error:
            problems.setdefault(f"{prefix}images", []).append(str(error))
    if problems:
        raise FieldValidationError(problems)
    return indicators.analyse(data.text, kind=data.kind), hashes


def adverts_record(*, user: User, items: Sequence[AdvertInput], channel: str) -> list[Advert]:
    """Analyse and keep adverts (all or none: a bad one names its position)."""
    require(user, OnlineAction.ADVERTS)
    if not items:
        raise FieldValidationError({"text": [_("Paste the advert or chat text.")]})
    if len(items) > MAX_IMPORT:
        raise FieldValidationError({"file": [_("At most %d adverts at a time.") % MAX_IMPORT]})
    prepared = [
        _prepare(item, str(i + 1) if len(items) > 1 else "") for i, item in enumerate(items)
    ]
    with transaction.atomic():
        stored = Advert.objects.bulk_create(
            Advert(
                agency=user.agency,
                kind=item.kind,
                text=item.text,
                city=item.city.strip()[:100],
                source_ref=item.source_ref.strip()[:100],
                phones=analysis.phones,
                emails=analysis.emails,
                image_hashes=hashes,
                score=analysis.score,
                analysis=analysis.as_dict(),
                created_by=user,
            )
            for item, (analysis, hashes) in zip(items, prepared, strict=True)
        )
        for advert in stored:
            audit(user, channel, Action.CREATE, "online_advert", advert.id, score=advert.score)
    return stored


def advert_graph(*, user: User) -> graph.AdvertGraph:
    """The agency's adverts linked by shared phones, e-mails and images."""
    require(user, OnlineAction.ADVERTS)
    adverts = online_policy.adverts_user_has_permission_for(user)
    return graph.build_graph(
        [
            graph.AdvertNode(
                id=str(a.id),
                city=a.city,
                phones=tuple(a.phones),
                emails=tuple(a.emails),
                image_hashes=tuple(a.image_hashes),
            )
            for a in adverts
        ]
    )
