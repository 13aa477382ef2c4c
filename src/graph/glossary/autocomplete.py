"""Prefix completion for a search box: what starts with the letters typed so far.

The index keeps every acronym key and full-form key in one sorted list; the completions of a
prefix *p* are the contiguous run of keys ``k`` with ``k.startswith(p)``, found by binary search
(``bisect``) in O(log n + k). Completions are ranked like lookups (context, then shorter first).
"""

from __future__ import annotations

from .context import Context, rank_entry
from .index import GlossaryIndex
from .model import KIND_ORDER
from .normalize import acronym_key, phrase_key

__all__ = ["complete"]


def complete(index: GlossaryIndex, prefix: str, country: str | None = None, sector: str | None = None,
             limit: int = 10) -> list[dict]:
    """Up to ``limit`` completions of ``prefix``: ``{"text", "acronym", "label", "kind", "iri", "score"}``."""
    context = Context(country, sector).normalized()
    keys = {phrase_key(prefix), acronym_key(prefix)} - {""}
    seen: set[int] = set()
    actors_per_acronym: dict[str, int] = {}
    scored = []
    for key in keys:
        for n in index.prefix_range(key, limit=limit * 5):
            if n in seen:
                continue
            seen.add(n)
            entry = index.entries[n]
            if entry.kind == "actor" and entry.acronym:
                # hundreds of actors may share one generic acronym (CPAS): offer a few, not a wall
                shared = actors_per_acronym.get(entry.acronym, 0)
                if shared >= 2:
                    continue
                actors_per_acronym[entry.acronym] = shared + 1
            score, _ = rank_entry(index, entry, 1.0, "prefix", context)
            length = min((len(t) for t in [*entry.acronyms, *entry.labels.values()]), default=99)
            scored.append((-score, KIND_ORDER.get(entry.kind, 9), length, entry.id, entry))
    covered = {item[4].service_type for item in scored if item[4].kind == "sense"}
    scored = [item for item in scored if not (item[4].kind == "service_type" and item[4].iri in covered)]
    scored.sort(key=lambda s: s[:4])
    return [{"text": e.display, "acronym": e.acronym, "label": e.label, "kind": e.kind, "iri": e.iri,
             "score": -s} for s, _, _, _, e in scored[:limit]]
