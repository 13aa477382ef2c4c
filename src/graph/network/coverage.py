"""Coverage gaps: territories × service types × age ranges that no service covers.

Definition
----------
An actor *covers* territory ``t`` when one of the territories it serves (``pm:servesTerritory``, or
its country when it names none) is ``t`` or encloses ``t`` (``pm:partOf``, transitively). At the chosen
``level`` (communes by default), for every territory ``t``:

* a **service-type gap** is a service type that exists in ``t``'s country or region
  (``pm:country`` of the type is ``t`` or encloses it) and has at least one actor somewhere in the
  data, but no actor of that type covers ``t``;
* an **age gap** is an age band (0–3, 3–6, 6–12, 12–18, 18–25 years; the seeds' « 0–3 » gap between
  birth and school) that no covering actor's age range meets. An actor's range is its own
  ``pm:ageMin/ageMax``, else the widest of its service types; actors with no known range are not
  counted (their number is reported: a data gap, not a proven service gap).

Service types with no actor at all are listed apart (``unmapped_service_types``): their absence says
the data is incomplete, not that the territory lacks the service.

Parameters
----------
projection : Projection
level : str, default ``"municipality"``
limit : int, default 20 — territories listed per gap (counts are always complete)

Returns
-------
dict
    ``level``, ``territories``, ``by_service_type`` [{service_type, label, uncovered_count,
    uncovered}], ``by_age_band`` [{band, uncovered_count, uncovered}], ``unmapped_service_types``,
    ``actors_without_age_range``.

Example
-------
>>> from graph.network.projection import projection_from_rows
>>> p = projection_from_rows("demo", territories=[{"t": "be", "level": "country"},
...     {"t": "c1", "level": "municipality", "parent": "be"}, {"t": "c2", "level": "municipality", "parent": "be"}],
...     service_types=[{"st": "crèche", "amin": 0, "amax": 3}], type_countries=[{"a": "crèche", "v": "be"}],
...     actors=[{"a": "x", "kind": "service", "country": "be"}], actor_types=[{"a": "x", "v": "crèche"}],
...     actor_territories=[{"a": "x", "v": "c1"}])
>>> coverage_gaps(p)["by_age_band"][0]["uncovered"][0]["territory"]
'c2'

References
----------
Seed 000 (Atelier F): « une lacune dans la chaîne de prise en charge de la naissance à l'école enfantine ».
"""

from __future__ import annotations

from collections import defaultdict

__all__ = ["coverage_gaps", "AGE_BANDS"]

AGE_BANDS = ((0, 3), (3, 6), (6, 12), (12, 18), (18, 25))


def coverage_gaps(projection, level: str = "municipality", limit: int = 20, within: str | None = None) -> dict:
    """Territory × service type and territory × age-band gaps (see the module docstring)."""
    p = projection
    territories = [t for t, info in p.territories.items() if info.get("level") == level]
    if within:
        territories = [t for t in territories if within in p.territory_ancestors(t)]
    territories.sort()
    types_at: dict[str, set] = defaultdict(set)
    ages_at: dict[str, list] = defaultdict(list)
    actors_of_type: dict[str, int] = defaultdict(int)
    no_age = 0
    for _a, info in p.actor_info.items():
        if info["node_kind"] == "post":
            continue
        served = info["territories"] or ((info["country"],) if info["country"] else ())
        for st in info["service_types"]:
            actors_of_type[st] += 1
        if info["age_min"] is None and info["age_max"] is None:
            if info["service_types"]:
                no_age += 1
        for t in served:
            types_at[t].update(info["service_types"])
            if info["age_min"] is not None or info["age_max"] is not None:
                lo = info["age_min"] if info["age_min"] is not None else float("-inf")
                hi = info["age_max"] if info["age_max"] is not None else float("inf")
                ages_at[t].append((lo, hi))
    type_gaps: dict[str, list] = defaultdict(list)
    band_gaps: dict[tuple, list] = defaultdict(list)
    for t in territories:
        chain = p.territory_ancestors(t)
        chain_set = set(chain)
        covered_types = set().union(*(types_at.get(x, set()) for x in chain))
        ranges = [r for x in chain for r in ages_at.get(x, ())]
        for st, info in p.service_type_info.items():
            if actors_of_type.get(st, 0) == 0 or not chain_set.intersection(info["countries"]):
                continue
            if st not in covered_types:
                type_gaps[st].append(t)
        for band in AGE_BANDS:
            lo, hi = band
            if not any(a_lo < hi and a_hi >= lo for a_lo, a_hi in ranges):
                band_gaps[band].append(t)

    def listing(ts):
        return [{"territory": t, "label": p.label(t)} for t in ts[:limit]]

    by_type = [{"service_type": st, "label": p.service_type_info[st]["label"],
                "acronyms": p.service_type_info[st]["acronyms"], "actors": actors_of_type[st],
                "uncovered_count": len(ts), "uncovered": listing(ts)}
               for st, ts in sorted(type_gaps.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    by_band = [{"band": f"{lo}-{hi}", "age_min": lo, "age_max": hi, "uncovered_count": len(band_gaps[(lo, hi)]),
                "uncovered": listing(band_gaps[(lo, hi)])} for lo, hi in AGE_BANDS]
    unmapped = [{"service_type": st, "label": info["label"], "acronyms": info["acronyms"]}
                for st, info in sorted(p.service_type_info.items()) if actors_of_type.get(st, 0) == 0]
    return {"level": level, "territories": len(territories), "by_service_type": by_type, "by_age_band": by_band,
            "unmapped_service_types": unmapped, "actors_without_age_range": no_age}
