"""The records the glossary works on: one :class:`Entry` per sense, service type, sector or actor.

An entry is a flattened, read-only copy of what the store says about one entity, made once per
store version by :mod:`graph.glossary.index`. ``kind`` tells where it came from:

* ``sense`` — a ``pm:JargonSense`` (a meaning of an acronym or term in a sector and a country);
* ``service_type`` — a ``pm:ServiceType`` (AMO, SAJ, CPAS…), which also carries acronyms and labels;
* ``sector`` — a ``pm:Sector`` (AAJ, AS…);
* ``actor`` — a ``pm:Actor`` (an organisation, service, platform…).

``expansion`` is ``"unknown"`` for a sense whose sources do not give the full form: such an entry has
no ``label`` and must never be shown with one.

Time: ``valid_from`` and ``valid_to`` are ISO dates (``pm:validFrom``, ``pm:validUntil``); a sense is
*current* on a day *d* when it has no ``valid_to`` or ``d < valid_to``, else *historical*;
``replaced_by`` lists the IRIs of the senses that replaced it (``dcterms:isReplacedBy``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["Entry", "Source", "KIND_ORDER"]

KIND_ORDER = {"sense": 0, "service_type": 1, "sector": 2, "actor": 3}
"""Tie-break between kinds of entry: a jargon sense explains better than the entity it names."""


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: the source entity, its title and public page, and the locator."""

    iri: str
    id: str
    title: str | None = None
    url: str | None = None
    locator: str | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "iri": self.iri, "title": self.title, "url": self.url, "locator": self.locator}


@dataclass
class Entry:
    """One sense or entity of the glossary index."""

    iri: str
    id: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)
    """Full form per language (``fr``, ``nl``, ``en``, ``de``); empty for an unknown expansion."""
    acronyms: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    definition: str | None = None
    sectors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    service_type: str | None = None
    actor: str | None = None
    related: list[str] = field(default_factory=list)
    note: str | None = None
    expansion: str = "known"
    sources: list[Source] = field(default_factory=list)
    valid_from: str | None = None
    """ISO date since which the sense is in use, or None."""
    valid_to: str | None = None
    """ISO date on which the sense stopped being in use, or None (current)."""
    replaced_by: list[str] = field(default_factory=list)
    """IRIs of the senses that replaced this one."""

    def is_current(self, today: date | str | None = None) -> bool:
        """True unless ``valid_to`` is on or before ``today`` (default: the current date)."""
        if not self.valid_to:
            return True
        day = today.isoformat() if isinstance(today, date) else (today or date.today().isoformat())
        return day < self.valid_to[:10]

    @property
    def label(self) -> str | None:
        """The full form (French first), or None when the expansion is unknown."""
        if self.expansion == "unknown":
            return None
        for lang in ("fr", "", "en", "nl", "de"):
            if self.labels.get(lang):
                return self.labels[lang]
        return next(iter(self.labels.values()), None)

    @property
    def acronym(self) -> str | None:
        return self.acronyms[0] if self.acronyms else None

    @property
    def display(self) -> str:
        """What a person reads: ``AMO — service d'action en milieu ouvert`` or ``ZS (développement inconnu)``."""
        if self.label and self.acronym:
            return f"{self.acronym} — {self.label}"
        if self.acronym:
            return f"{self.acronym} (développement inconnu)"
        return self.label or self.id
