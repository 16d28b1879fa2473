"""The exchange app's models, one module per sub-domain; import them from here."""

from safepath.exchange.models.messages import Message
from safepath.exchange.models.partners import Partner, PartnerQuerySet
from safepath.exchange.models.transfers import CaseLink, Transfer

__all__ = ["CaseLink", "Message", "Partner", "PartnerQuerySet", "Transfer"]
