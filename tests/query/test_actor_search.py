"""Actor search against oracles read from the table rows: the age filter keeps exactly the actors whose range
(their own, else their service types') holds the age or is unknown; every facet count equals the count over the
whole filtered set; stats count what the tables hold."""

from __future__ import annotations

from collections import Counter

import pytest

from graph.query.actor_search import AGE_BANDS, ActorFilter, search_actors
from graph.query.entities import table_rows
from graph.query.stats import graph_stats


def _ranges(store) -> dict[str, tuple[float | None, float | None]]:
    types = {t["id"]: t for t in table_rows(store, "service_types")}
    out = {}
    for actor in table_rows(store, "actors"):
        own = [types[t] for t in actor["service_type"] if t in types]
        lows = [actor["age_min"]] if actor["age_min"] is not None else [t["age_min"] for t in own
                                                                        if t["age_min"] is not None]
        highs = [actor["age_max"]] if actor["age_max"] is not None else [t["age_max"] for t in own
                                                                         if t["age_max"] is not None]
        out[actor["id"]] = (min(lows) if lows else None, max(highs) if highs else None)
    return out


@pytest.mark.parametrize("age", [0, 2.5, 12, 17.99, 18, 30, 90])
def test_age_filter_keeps_exactly_the_actors_whose_range_holds_it(bundled_store, age):
    found = search_actors(bundled_store, ActorFilter(age=age), limit=10_000, facets=False)
    expected = {a for a, (lo, hi) in _ranges(bundled_store).items()
                if (lo is None or lo <= age) and (hi is None or hi >= age)}
    assert {i["id"] for i in found["items"]} == expected
    assert found["total"] == len(expected)
    assert 0 < len(expected) < len(table_rows(bundled_store, "actors"))


@pytest.mark.parametrize("flt", [ActorFilter(), ActorFilter(country=("be",), age=15),
                                 ActorFilter(sector=("aide-jeunesse",)), ActorFilter(q="liège")],
                         ids=["all", "be-15", "youth-aid", "text"])
def test_every_facet_count_is_the_count_over_the_filtered_set(bundled_store, flt):
    result = search_actors(bundled_store, flt, limit=10_000)
    items = result["items"]
    assert len(items) == result["total"] > 0
    rows = {r["id"]: r for r in table_rows(bundled_store, "actors")}
    expected = {
        "sector": Counter(s["id"] for i in items for s in i["sector"]),
        "service_type": Counter(t["id"] for i in items for t in i["service_type"]),
        "country": Counter(i["country"]["id"] for i in items if i["country"]),
        "kind": Counter(rows[i["id"]]["kind"] for i in items),
        "mandate": Counter(m for i in items for m in i["mandate"]),
    }
    for name, counts in expected.items():
        assert {f["id"]: f["count"] for f in result["facets"][name]} == dict(counts), name
    ranges = _ranges(bundled_store)
    bands = Counter()
    for i in items:
        lo, hi = ranges[i["id"]]
        if lo is None and hi is None:
            bands["unknown"] += 1
            continue
        lo, hi = (-1 if lo is None else lo), (200 if hi is None else hi)
        bands.update(name for name, b_lo, b_hi in AGE_BANDS if lo <= b_hi and hi >= b_lo)
    assert {f["id"]: f["count"] for f in result["facets"]["age"] if f["count"]} == dict(bands)


def test_province_facet_counts_actors_serving_inside_the_province(bundled_store):
    result = search_actors(bundled_store, ActorFilter(), limit=0)
    hainaut = next(f for f in result["facets"]["territory"] if f["id"] == "be-nis-50000")
    inside = search_actors(bundled_store, ActorFilter(territory=("be-nis-50000",)), limit=0, facets=False)
    assert hainaut["count"] == inside["total"] > 50


def test_stats_count_what_the_tables_hold(bundled_store):
    stats = graph_stats(bundled_store)
    actors, senses = table_rows(bundled_store, "actors"), table_rows(bundled_store, "glossary")
    assert stats["by_class"]["actor"] == len(actors)
    assert stats["by_class"]["jargon sense"] == len(senses)
    belgium = stats["coverage"]["country"]["Belgique"]
    assert belgium["actors"] == sum(1 for a in actors if a["country"] == "be")
    sector = next(s for s in table_rows(bundled_store, "sectors") if s["id"] == "aide-jeunesse")
    assert stats["coverage"]["sector"][sector["label_fr"]]["actors"] == sum(
        1 for a in actors if "aide-jeunesse" in a["sector"])
    assert stats["sourced_share"] == 1.0 and stats["rows"] > 4000
    stats["by_class"]["actor"] = -1  # a caller's change stays its own
    assert graph_stats(bundled_store)["by_class"]["actor"] == len(actors)
