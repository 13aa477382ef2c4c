"""Ranking a sense by the user's context: country or region, and sector.

Definitions
-----------
Let *C* be the user's territory (a country such as ``be`` or a region such as ``be-fwb``) and *T* the
territories where the sense holds. With ``ancestors(x)`` the chain ``x, parent(x), …`` along
``pm:partOf``:

* ``country_score = 1.0`` if *C* ∈ *T* (same territory);
* ``0.9`` if some *t* ∈ *T* is an ancestor of *C* (the sense holds in ``be``, the user is in ``be-fwb``);
* ``0.8`` if *C* is an ancestor of some *t* (the sense holds in ``be-fwb``, the user said ``be``);
* ``0.5`` if *C* and *t* share their outermost ancestor (same country, other region);
* ``0.0`` otherwise (another country); ``0.5`` when no country is given (neutral).

Sectors likewise along ``skos:broader``: 1.0 same sector, 0.7 broader/narrower, 0.0 other, 0.5 neutral.

The final score of a match is ``0.55·match + 0.30·country + 0.15·sector``, where ``match`` ∈ [0, 1]
is the quality of the string match (exact acronym 1.0 … fuzzy lower) times a small kind factor
(sense 1.0, service type 0.97, sector 0.95, actor 0.9). Every score comes with a ``reason`` in
plain words.

Ties: when the user gives no country, every sense scores the same on country, and the order among
equal scores is :func:`tie_break`: a sense of the project's home country (:data:`HOME_COUNTRY`,
Belgium) before a foreign one, never the alphabet alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Entry

__all__ = ["Context", "rank_entry", "tie_break", "KIND_FACTOR", "WEIGHTS", "HOME_COUNTRY"]

KIND_FACTOR = {"sense": 1.0, "service_type": 0.97, "sector": 0.95, "actor": 0.9}
WEIGHTS = (0.55, 0.30, 0.15)
HOME_COUNTRY = "be"
"""The country the glossary is first made for (FWB, Belgium): breaks ties when the user gives no country."""


@dataclass(frozen=True)
class Context:
    """What the user (or the text) tells about where and in which sector they work."""

    country: str | None = None
    sector: str | None = None
    text_countries: tuple[str, ...] = ()
    """Countries inferred from the text being decoded (weaker than the user's)."""
    text_sectors: tuple[str, ...] = ()

    def normalized(self) -> Context:
        return Context((self.country or "").strip().lower() or None, (self.sector or "").strip().lower() or None,
                       self.text_countries, self.text_sectors)


def _country_score(index, entry: Entry, country: str) -> tuple[float, str]:
    if not entry.countries:
        return 0.5, "no country recorded"
    user_chain = index.territory_ancestors(country)
    best, reason = 0.0, f"holds in {', '.join(entry.countries)}, not in {country}"
    for territory in entry.countries:
        if territory == country:
            return 1.0, f"holds in {territory}, your territory"
        if territory in user_chain:
            if best < 0.9:
                best, reason = 0.9, f"holds in {territory}, which contains {country}"
            continue
        chain = index.territory_ancestors(territory)
        if country in chain:
            if best < 0.8:
                best, reason = 0.8, f"holds in {territory}, part of {country}"
        elif chain[-1] == user_chain[-1] and best < 0.5:
            best, reason = 0.5, f"holds in {territory}, same country as {country}"
    return best, reason


def _sector_score(index, entry: Entry, sector: str) -> tuple[float, str]:
    if not entry.sectors:
        return 0.5, "no sector recorded"
    if sector in entry.sectors:
        return 1.0, f"sector {sector}"
    user_chain = index.sector_ancestors(sector)
    for own in entry.sectors:
        if own in user_chain or sector in index.sector_ancestors(own):
            return 0.7, f"sector {own}, related to {sector}"
    return 0.0, f"sector {', '.join(entry.sectors)}, not {sector}"


def rank_entry(index, entry: Entry, match: float, how: str, context: Context) -> tuple[float, str]:
    """The score in [0, 1] of ``entry`` matched with quality ``match`` (``how``), and its reason."""
    quality = match * KIND_FACTOR.get(entry.kind, 0.9)
    parts = [how]
    if context.country:
        country, why = _country_score(index, entry, context.country)
        parts.append(why)
    elif context.text_countries:
        scores = [_country_score(index, entry, c) for c in context.text_countries]
        country, why = max(scores)
        parts.append(f"{why} (country of the text)")
    else:
        country = 0.5
    if context.sector:
        sector, why = _sector_score(index, entry, context.sector)
        parts.append(why)
    elif context.text_sectors:
        scores = [_sector_score(index, entry, s) for s in context.text_sectors]
        sector, why = max(scores)
        parts.append(f"{why} (sector of the text)")
    else:
        sector = 0.5
    if entry.expansion == "unknown":
        parts.append("expansion unknown: no source gives the full form")
    w_match, w_country, w_sector = WEIGHTS
    score = w_match * quality + w_country * country + w_sector * sector
    return round(score, 4), "; ".join(parts)


def tie_break(index, entry: Entry, context: Context) -> int:
    """0 for a sense that holds in the user's country (or, without one, in :data:`HOME_COUNTRY`), 1 for a
    sense with no country, 2 for a foreign one: the order among senses of equal score."""
    if not entry.countries:
        return 1
    home = context.country or (context.text_countries[0] if context.text_countries else HOME_COUNTRY)
    home_root = index.territory_ancestors(home)[-1]
    return 0 if any(index.territory_ancestors(c)[-1] == home_root for c in entry.countries) else 2
