"""Hypothesis properties of the library's entry points: any input gives an answer or the documented refusal,
never a traceback. Bounded (``max_examples``), no deadline (the machine is shared), no example database."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.build.tables import Problem, TableSet, TablesInvalid, read_tables
from graph.network.counterparts import counterparts
from graph.network.projection import project
from graph.network.referral_paths import referral_paths
from graph.network.resolve import NotFound
from graph.query.entities import find_actors
from graph.query.serving import UnknownTerritory, serving
from graph.sparql.guard import QueryRefused, check_read_only
from graph.store import StoreError
from graph.vocab.schema import TABLES_BY_NAME
from tests.conftest import DATA_DIR

SETTINGS = {"deadline": None, "database": None, "derandomize": True,
            "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}

text = st.text(st.characters(codec="utf-8"), max_size=80)
"""Any string, control characters and astral planes included (but no lone surrogates: they are not UTF-8)."""


# ------------------------------------------------------------------ tables

FUZZED = ("sectors", "territories", "service_types", "functions")

@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory):
    """Every table with its header only, but for the fuzzed ones (sectors, territories, service types, glossary,
    actors: the bundled rows): reading takes milliseconds, so a property can try a hundred files."""
    target = tmp_path_factory.mktemp("fuzz-tables") / "data"
    target.mkdir()
    for table in TABLES_BY_NAME.values():
        source = DATA_DIR / table.file
        if table.name in FUZZED:
            shutil.copyfile(source, target / table.file)
        else:
            (target / table.file).write_text(",".join(c.name for c in table.columns) + "\n", encoding="utf-8")
    return target


def _read_with(directory, name: str, content: bytes):
    path = directory / TABLES_BY_NAME[name].file
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        return read_tables(directory)
    finally:
        path.write_bytes(original)


def _assert_located(err: TablesInvalid) -> None:
    assert err.problems
    for problem in err.problems:
        assert isinstance(problem, Problem)
        assert problem.file
        assert problem.row is None or (isinstance(problem.row, int) and problem.row >= 1)
        assert problem.column is None or isinstance(problem.column, str)
        assert problem.message and "Traceback" not in problem.message


@settings(max_examples=100, **SETTINGS)
@given(content=st.binary(max_size=400) | text.map(str.encode))
def test_any_bytes_as_a_table_file_give_a_table_or_located_problems(tables_dir, content):
    try:
        result = _read_with(tables_dir, "sectors", content)
    except TablesInvalid as err:
        _assert_located(err)
    else:
        assert isinstance(result, TableSet)


CELL = st.one_of(text, st.sampled_from(["", " ", "aide-jeunesse", "be", "true", "2024-02-30", "1e9", "=1+1", "a|b",
                                        "\"", "\r\n", "https://example.org", "-1", "x" * 6000]))


@settings(max_examples=100, **SETTINGS)
@given(data=st.data())
def test_any_rows_under_the_right_header_give_a_table_or_located_problems(tables_dir, data):
    import csv
    import io

    name = data.draw(st.sampled_from(FUZZED))
    columns = [c.name for c in TABLES_BY_NAME[name].columns]
    original = (tables_dir / TABLES_BY_NAME[name].file).read_text("utf-8")
    rows = data.draw(st.lists(st.lists(CELL, min_size=len(columns) - 1, max_size=len(columns) + 1), max_size=3))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    try:
        result = _read_with(tables_dir, name, (original + buffer.getvalue()).encode("utf-8"))
    except TablesInvalid as err:
        _assert_located(err)
        assert any(p.file == TABLES_BY_NAME[name].file for p in err.problems) or rows == []
    else:
        assert isinstance(result, TableSet)


# ------------------------------------------------------------------ SPARQL guard

FRAGMENTS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "*", "?s", "?p", "?o", "{", "}", "WHERE", ".", "a",
             "pm:Actor", "skos:prefLabel", "FILTER", "(", ")", "REGEX", "\"x\"", "LIMIT 3", "SERVICE",
             "<http://example.org/>", "FROM", "NAMED", "GRAPH", "INSERT DATA", "DELETE", "OPTIONAL", "UNION",
             "PREFIX ex: <http://example.org/>", "BIND", "AS", "VALUES", "COUNT", "GROUP BY", "ORDER BY", "#", "\n",
             "rdfs:label", "?x", "1", "LANG", "=", "'fr'", "^^", "xsd:integer", "MINUS", "EXISTS", "NOT", "/", "*"]
QUERY = st.one_of(text, st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join),
                  st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(
                      lambda words: "SELECT * WHERE { ?s ?p ?o " + " ".join(words) + " } LIMIT 3"))


@settings(max_examples=200, **SETTINGS)
@given(query=QUERY)
def test_any_string_is_refused_or_runs_on_the_store(bundled_store, query):
    try:
        parsed = check_read_only(query)
    except QueryRefused as err:
        assert str(err) and "\n" not in str(err)
        return
    form = parsed.name
    if "LIMIT" not in query.upper() and form in ("SelectQuery", "ConstructQuery", "DescribeQuery"):
        return  # accepted, but may return the whole store: the endpoint's deadline and row cap bound it
    try:
        if form in ("SelectQuery", "AskQuery"):
            bundled_store.query_json(query)
        else:
            bundled_store.construct(query)
    except StoreError:
        pass


# ------------------------------------------------------------------ network

@pytest.fixture(scope="module")
def projection(bundled_store):
    return project(bundled_store)


def _names(table: dict) -> list[str]:
    names = []
    for iri, info in list(table.items())[:60]:
        names += [iri, str(info.get("id") or ""), str(info.get("label") or "")]
    return [n for n in names if n]


@settings(max_examples=120, **SETTINGS)
@given(data=st.data())
def test_counterparts_answer_or_not_found(projection, data):
    p = projection
    name = st.one_of(text, st.sampled_from(_names(p.actor_info) + _names(p.functions)))
    asker = data.draw(name)
    sector = data.draw(st.one_of(text, st.sampled_from(_names(p.sectors))))
    territory = data.draw(st.none() | text | st.sampled_from(_names(p.territories)))
    limit = data.draw(st.integers(1, 100))
    try:
        result = counterparts(p, asker, sector, territory, limit)
    except NotFound as err:
        assert str(err)
    else:
        assert isinstance(result, dict)


@settings(max_examples=120, **SETTINGS)
@given(data=st.data())
def test_referral_paths_answer_or_not_found(projection, data):
    p = projection
    name = st.one_of(text, st.sampled_from(_names(p.service_type_info)))
    source, target = data.draw(name), data.draw(name)
    need = data.draw(st.none() | text)
    k = data.draw(st.integers(1, 10))
    try:
        result = referral_paths(p, source, target, need=need, k=k)
    except NotFound as err:
        assert str(err)
    else:
        assert isinstance(result, dict)


# ------------------------------------------------------------------ directory and search

COMMUNES = st.one_of(text, st.sampled_from(["Liège", "liege", "SERAING", "62096", "be-nis-62096", "Bruxelles",
                                           "  namur ", "Saint-Josse-ten-Noode", "", " ", "-", "'", "ü"]))


@settings(max_examples=150, **SETTINGS)
@given(commune=COMMUNES)
def test_serving_answers_or_unknown_territory(bundled_store, commune):
    try:
        result = serving(bundled_store, commune)
    except UnknownTerritory as err:
        assert isinstance(err.suggestions, list)
    else:
        assert {"territory", "services"} <= set(result)


@settings(max_examples=150, **SETTINGS)
@given(query=st.one_of(text, st.sampled_from(["SAJ Liège", "cpas seraing", "aide jeunesse liege", "-", "’", "AMO"])),
       limit=st.integers(0, 50))
def test_find_actors_gives_a_list(bundled_store, query, limit):
    found = find_actors(bundled_store, query, limit=limit)
    assert isinstance(found, list) and len(found) <= max(limit, 0)
    assert all(set(item) == {"id", "label"} for item in found)




# ------------------------------------------------------------------ actor search

_SECTORS = ("aide-jeunesse", "aide-sociale", "sante-mentale", "enseignement", "no-such-sector")
_COUNTRIES = ("be", "fr", "ch", "lu", "nl")
_KINDS = ("organisation", "service", "authority", "platform", "network", "project", "programme")


@settings(max_examples=40, **SETTINGS)
@given(sector=st.lists(st.sampled_from(_SECTORS), max_size=2), country=st.lists(st.sampled_from(_COUNTRIES),
       max_size=2), kind=st.lists(st.sampled_from(_KINDS), max_size=2),
       age=st.none() | st.floats(min_value=-1, max_value=130, allow_nan=False),
       q=st.none() | st.sampled_from(["cpas", "liège", "amo", "é", "x" * 3]))
def test_actor_search_items_fit_the_filter_and_facets_count_them(bundled_store, sector, country, kind, age, q):
    """Whatever the filter: the items are the total, each fits every filter, the kind and country facets add up
    to the total (an actor has one of each), and no facet counts more actors than there are."""
    from graph.query.actor_search import ActorFilter, search_actors

    flt = ActorFilter(q=q, sector=tuple(sector), country=tuple(country), kind=tuple(kind), age=age)
    result = search_actors(bundled_store, flt, limit=10_000)
    items = result["items"]
    assert len(items) == result["total"]
    for item in items:
        assert not sector or {s["id"] for s in item["sector"]} & set(sector)
        assert not country or (item["country"] and item["country"]["id"] in country)
        assert age is None or not item["ages_known"] or (
            (item["age_min"] is None or item["age_min"] <= age) and (item["age_max"] is None or item["age_max"] >= age))
    assert sum(f["count"] for f in result["facets"]["kind"]) == result["total"]
    assert sum(f["count"] for f in result["facets"]["country"]) == sum(1 for i in items if i["country"])
    assert all(f["count"] <= result["total"] for facet in result["facets"].values() for f in facet)
    assert not kind or {f["id"] for f in result["facets"]["kind"]} <= set(kind)
