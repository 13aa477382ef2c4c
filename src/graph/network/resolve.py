"""Resolve what a user types (a slug, an IRI, an acronym) to the IRI of an entity of the projection."""

from __future__ import annotations

__all__ = ["resolve", "NotFound", "Ambiguous", "NothingGiven"]


class NotFound(LookupError):
    """No entity matches the user's input (the base of every resolution failure)."""


class Ambiguous(NotFound):
    """Several entities match the user's input equally well."""


class NothingGiven(NotFound):
    """The user gave no input to resolve."""


def resolve(text: str, *tables: dict, what: str = "entity") -> str:
    """The IRI in ``tables`` whose IRI, slug, label or acronym is ``text`` (case-insensitive)."""
    if not text:
        raise NothingGiven(f"no {what} given")
    for table in tables:
        if text in table:
            return text
    low = text.strip().lower()
    for field in ("id", "label", "acronyms"):
        hits = []
        for table in tables:
            for iri, info in table.items():
                value = info.get(field)
                values = value if isinstance(value, list | tuple) else [value]
                if any(isinstance(x, str) and x.lower() == low for x in values):
                    hits.append(iri)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise Ambiguous(f"{what} {text!r} is ambiguous: {', '.join(sorted(hits)[:5])}")
    raise NotFound(f"unknown {what} {text!r}")
