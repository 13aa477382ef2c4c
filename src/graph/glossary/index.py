"""The in-memory glossary index, built once per store version (never SPARQL per keystroke).

Four SPARQL queries read every ``pm:JargonSense``, ``pm:ServiceType``, ``pm:Sector`` and ``pm:Actor``
with their labels, acronyms, variants, definitions, sectors, countries and sources, plus the
territory hierarchy (``pm:partOf``) and the sector hierarchy (``skos:broader``). From them the index
keeps plain dictionaries and sorted lists:

* ``acronyms`` — acronym key (see :mod:`.normalize`) → entry numbers;
* ``phrases`` — loose phrase key of every full form and variant → entry numbers;
* ``prefix_keys`` — sorted ``(key, entry)`` pairs for autocompletion by binary search;
* ``word_index`` — loose word → entry numbers, for reverse lookup of a paraphrased full form;
* ``fuzzy_keys`` — the distinct keys handed to rapidfuzz for typo tolerance.

:func:`get_index` caches one index per (store, version): a rebuilt store gets a new index, the same
store answers from memory.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from ..ids import territory_ancestors
from ..version_cache import PerVersionCache
from ..vocab.namespaces import PREFIXES
from .model import KIND_ORDER, Entry, Source
from .normalize import STOPWORDS, acronym_key, is_acronym_like, loose_key, phrase_key

__all__ = ["GlossaryIndex", "get_index", "build_index", "ENTRY_CLASSES", "ENTRY_PROPERTIES", "SOURCE_QUERY",
           "TERRITORY_QUERY"]

ENTRY_CLASSES = {"sense": "pm:JargonSense", "service_type": "pm:ServiceType", "sector": "pm:Sector",
                 "actor": "pm:Actor"}
"""The classes whose instances are glossary entries, by entry kind."""
ENTRY_PROPERTIES = ("skos:prefLabel", "pm:acronym", "skos:hiddenLabel", "skos:definition", "pm:sector", "pm:country",
                    "pm:serviceType", "pm:relatedActor", "pm:expansionStatus", "prov:wasDerivedFrom",
                    "pm:sourceLocator", "skos:note", "skos:related", "skos:broader", "pm:validFrom", "pm:validUntil",
                    "dct:isReplacedBy")
"""What the index reads of each entry."""
_ENTRY_SUBJECTS = ("{ SELECT DISTINCT ?s WHERE { VALUES ?cls { " + " ".join(ENTRY_CLASSES.values())
                   + " } ?s a ?cls } }")


_NOT_ONLY_ENTRIES = frozenset({"prov:wasDerivedFrom", "pm:sourceLocator"})
"""Properties of every row of every table: read for the entries only (other properties are read whole and the
entries picked in Python, which costs less than the join when most of their subjects are entries)."""


def entry_property_query(prop: str) -> str:
    """``(?s, ?o)`` of every subject ``?s`` with property ``prop`` (labels also give ``LANG(?o)``); for the
    properties of :data:`_NOT_ONLY_ENTRIES`, of the entries only: the entries and the property are then two
    sub-queries that Oxigraph joins by hashing, without an index lookup per solution."""
    lang = " (LANG(?o) AS ?lang)" if prop == "skos:prefLabel" else ""
    if prop in _NOT_ONLY_ENTRIES:
        return f"SELECT ?s ?o{lang} WHERE {{ {_ENTRY_SUBJECTS} {{ SELECT ?s ?o WHERE {{ ?s {prop} ?o }} }} }}"
    return f"SELECT ?s ?o{lang} WHERE {{ ?s {prop} ?o }}"


SOURCE_QUERY = """
SELECT ?src ?title ?url WHERE {
  ?src a pm:Source ; dct:title ?title .
  OPTIONAL { ?src foaf:page ?url }
}
"""
TERRITORY_QUERY = """
SELECT ?t ?parent WHERE { ?t a pm:Territory . OPTIONAL { ?t pm:partOf ?parent } }
"""

_NS_PM = "https://w3id.org/passe-muraille/ns#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"


def _expanded(name: str) -> str:
    prefix, local = name.split(":", 1)
    return str(PREFIXES[prefix][local])


def _id(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class GlossaryIndex:
    """Dictionaries and sorted lists over the glossary entries; see the module docstring."""

    def __init__(self, entries: Iterable[Entry], territory_parent: dict[str, str] | None = None,
                 sector_broader: dict[str, str] | None = None, version: str | None = None):
        self.version = version
        self.entries: list[Entry] = list(entries)
        self.by_iri: dict[str, int] = {e.iri: n for n, e in enumerate(self.entries)}
        self.by_id: dict[str, int] = {e.id: n for n, e in enumerate(self.entries)}
        self.territory_parent = dict(territory_parent or {})
        self.sector_broader = dict(sector_broader or {})
        self.acronyms: dict[str, list[int]] = defaultdict(list)
        self.phrases: dict[str, list[int]] = defaultdict(list)
        self.word_index: dict[str, list[int]] = defaultdict(list)
        prefix: list[tuple[str, int]] = []
        for n, entry in enumerate(self.entries):
            for acronym in entry.acronyms:
                key = acronym_key(acronym)
                if key and n not in self.acronyms[key]:
                    self.acronyms[key].append(n)
                    prefix.append((key, n))
            for text in [*entry.labels.values(), *entry.variants]:
                if entry.expansion == "unknown" and text in entry.acronyms:
                    continue
                key = loose_key(text)
                if key and n not in self.phrases[key]:
                    self.phrases[key].append(n)
                    prefix.append((phrase_key(text), n))
                    for word in set(key.split()):
                        if word not in STOPWORDS:
                            self.word_index[word].append(n)
                if is_acronym_like(text) and " " not in text:
                    akey = acronym_key(text)
                    if n not in self.acronyms[akey]:
                        self.acronyms[akey].append(n)
        self.acronyms = dict(self.acronyms)
        self.phrases = dict(self.phrases)
        self.word_index = dict(self.word_index)
        prefix.sort()
        self.prefix_keys = [k for k, _ in prefix]
        self.prefix_entries = [n for _, n in prefix]
        self.fuzzy_acronyms = list(self.acronyms)
        self.fuzzy_phrases = list(self.phrases)
        self._cache: dict = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    # ------------------------------------------------------------- hierarchy

    def territory_ancestors(self, territory: str) -> list[str]:
        """``territory`` and every territory containing it, innermost first (``be-fwb`` → ``[be-fwb, be]``)."""
        return territory_ancestors(territory, lambda t: [self.territory_parent.get(t)])

    def sector_ancestors(self, sector: str) -> list[str]:
        chain, seen = [sector], {sector}
        while (parent := self.sector_broader.get(chain[-1])) and parent not in seen:
            chain.append(parent)
            seen.add(parent)
        return chain

    # ------------------------------------------------------------- prefix

    def prefix_range(self, key: str, limit: int = 200) -> list[int]:
        """Entry numbers whose acronym or full-form key starts with ``key`` (binary search)."""
        start = bisect_left(self.prefix_keys, key)
        found: list[int] = []
        seen: set[int] = set()
        keys, entries = self.prefix_keys, self.prefix_entries
        for pos in range(start, min(len(keys), start + limit * 4)):
            if not keys[pos].startswith(key):
                break
            n = entries[pos]
            if n not in seen:
                seen.add(n)
                found.append(n)
                if len(found) >= limit:
                    break
        return found

    def cached(self, name: str, factory):
        """A value derived from the index (e.g. the decode trie), made once."""
        with self._lock:
            if name not in self._cache:
                self._cache[name] = factory(self)
            return self._cache[name]


# ----------------------------------------------------------------- from the store

def build_index(store) -> GlossaryIndex:
    """Read the glossary from ``store`` (anything with ``select``, ``select_values`` and ``version``) into an index."""
    sources = {row["src"]: row for row in store.select(SOURCE_QUERY)}
    territory_parent = {_id(r["t"]): _id(r["parent"]) for r in store.select(TERRITORY_QUERY) if r.get("parent")}
    raw: dict[str, dict] = {}
    for kind, cls in ENTRY_CLASSES.items():
        for (subject,) in store.select_values(f"SELECT ?s WHERE {{ ?s a {cls} }}"):
            raw.setdefault(subject, {"kinds": set(), "values": defaultdict(list)})["kinds"].add(kind)
    for prop in ENTRY_PROPERTIES:
        pred = _expanded(prop)
        for row in store.select_values(entry_property_query(prop)):
            record = raw.get(row[0])
            if record is None or row[1] is None:
                continue
            value = row[1]
            if prop == "skos:prefLabel":
                record["values"]["label"].append((row[2] or "", value))
            elif value not in record["values"][pred]:
                record["values"][pred].append(value)
    for record in raw.values():  # in a fixed order, not the store's (disk, memory and endpoints differ)
        for values in record["values"].values():
            values.sort()
    entries: list[Entry] = []
    sector_broader: dict[str, str] = {}
    slugs: dict[str, str] = {}  # sectors and countries repeat: their slugs are computed once

    def slug(iri: str) -> str:
        found = slugs.get(iri)
        if found is None:
            found = slugs[iri] = _id(iri)
        return found

    for iri, record in raw.items():
        kinds = record["kinds"]
        kind = "sense" if "sense" in kinds else "service_type" if "service_type" in kinds else \
            "sector" if "sector" in kinds else "actor"
        values = record["values"]

        def one(pred: str, values=values) -> str | None:
            items = values.get(pred)
            return items[0] if items else None

        expansion = _id(one(_NS_PM + "expansionStatus") or "expansion-known").removeprefix("expansion-")
        acronyms = sorted(values.get(_NS_PM + "acronym", []), key=lambda a: (len(a), a))
        labels: dict[str, str] = {}
        for lang, text in values.get("label", []):
            if expansion == "unknown" or (not lang and text in acronyms):
                continue
            labels.setdefault(lang, text)
        locator = one(_NS_PM + "sourceLocator")
        entry_sources = []
        for src in values.get(_PROV + "wasDerivedFrom", []):
            info = sources.get(src, {})
            entry_sources.append(Source(iri=src, id=_id(src), title=info.get("title"), url=info.get("url"),
                                        locator=locator))
        if kind == "sector" and one(_SKOS + "broader"):
            sector_broader[_id(iri)] = _id(one(_SKOS + "broader"))
        entries.append(Entry(
            iri=iri, id=_id(iri), kind=kind, labels=labels, acronyms=acronyms,
            variants=list(values.get(_SKOS + "hiddenLabel", [])), definition=one(_SKOS + "definition"),
            sectors=[slug(s) for s in values.get(_NS_PM + "sector", [])] or ([_id(iri)] if kind == "sector" else []),
            countries=[slug(c) for c in values.get(_NS_PM + "country", [])],
            service_type=one(_NS_PM + "serviceType"), actor=one(_NS_PM + "relatedActor"),
            related=list(values.get(_SKOS + "related", [])), note=one(_SKOS + "note"), expansion=expansion,
            sources=entry_sources, valid_from=one(_NS_PM + "validFrom"), valid_to=one(_NS_PM + "validUntil"),
            replaced_by=sorted(values.get(_DCT + "isReplacedBy", [])),
        ))
    entries.sort(key=lambda e: (KIND_ORDER.get(e.kind, 9), e.id))
    return GlossaryIndex(entries, territory_parent, sector_broader, version=getattr(store, "version", None))


_INDEXES: PerVersionCache[GlossaryIndex] = PerVersionCache(8)


def get_index(store) -> GlossaryIndex:
    """The index of ``store`` at its current version, built on first use and then kept in memory."""
    return _INDEXES.get(store, build_index)


def cached_index(store) -> GlossaryIndex | None:
    """The index of ``store`` if it is already built, else None (never builds: for event-loop callers)."""
    return _INDEXES.peek(store)
