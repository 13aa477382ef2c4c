"""Who serves this commune: every commune of Wallonia and Brussels has its CPAS, SAJ and SPJ (or the German-
speaking Community's youth-aid services), names resolve whatever their accents and case, unknown ones get
suggestions; the CLI, the API and the page give the same answer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graph.ids import territory_ancestors
from graph.query.entities import table_rows
from graph.query.serving import UnknownTerritory, resolve_territory, serving

DG_SERVICES = {"consented": "dg-jugendhilfedienst", "constrained": {"dg-jugendschutz", "dg-gerichtliche-jugendhilfe"}}


def _communes(store, region: str) -> list[dict]:
    territories = {t["id"]: t for t in table_rows(store, "territories")}
    parents = lambda t: [territories[t]["parent"]] if territories.get(t, {}).get("parent") else []  # noqa: E731
    return [t for t in territories.values()
            if t["level"] == "municipality" and region in territory_ancestors(t["id"], parents)]


@pytest.mark.parametrize("region", ["be-wal", "be-bru"])
def test_every_commune_has_its_cpas_saj_and_spj(bundled_store, region):
    communes = _communes(bundled_store, region)
    assert len(communes) >= (250 if region == "be-wal" else 19)
    missing = []
    for commune in communes:
        result = serving(bundled_store, commune["id"])
        by_type = {t["id"]: s for s in result["services"] for t in s["service_type"]}
        ids = {s["id"] for s in result["services"]}
        cpas = by_type.get("st-be-cpas")
        if cpas is None or cpas["via"]["id"] != commune["id"]:
            missing.append((commune["label"], "CPAS"))
        if "be-dg" in commune["within"]:
            if DG_SERVICES["consented"] not in ids or not DG_SERVICES["constrained"] & ids:
                missing.append((commune["label"], "Jugendhilfe"))
            continue
        for kind in ("st-be-saj", "st-be-spj"):
            found = by_type.get(kind)
            if found is None or found["via"]["level"] != "district":
                missing.append((commune["label"], kind))
    assert not missing, missing[:20]


def test_names_resolve_whatever_the_case_accents_and_language(bundled_store):
    assert resolve_territory(bundled_store, "SERAING")["id"] == "be-nis-62096"
    assert resolve_territory(bundled_store, "62096")["id"] == "be-nis-62096"
    assert resolve_territory(bundled_store, "be-nis-62096")["label"] == "Seraing"
    assert resolve_territory(bundled_store, "LIEGE")["label"] == "Liège"
    assert resolve_territory(bundled_store, "Sint-Gillis")["id"] == "be-nis-21013"


def test_an_unknown_commune_is_refused_with_suggestions(bundled_store):
    with pytest.raises(UnknownTerritory) as caught:
        serving(bundled_store, "Seraingg")
    assert caught.value.suggestions[0]["label"] == "Seraing"
    with pytest.raises(UnknownTerritory):
        serving(bundled_store, "zzzzqqqq")


def test_services_come_nearest_first_with_how_they_cover(bundled_store):
    result = serving(bundled_store, "Seraing")
    distances = [s["via"]["distance"] for s in result["services"]]
    assert distances == sorted(distances)
    assert result["services"][0]["via"]["level"] == "municipality"
    keys = {"iri", "label", "service_type", "acronym", "sector", "homepage", "contact_page", "via"}
    assert all(keys <= set(s) for s in result["services"])
    assert set(result["territory"]) >= {"iri", "label", "code"}
    assert not any(s["id"].startswith("chantier") for s in result["services"])  # collectives serve nobody


def test_cli_serving_json_and_unknown(bundled_store_dir):
    cmd = [sys.executable, "-m", "graph.cli.app", "serving", "--store", str(bundled_store_dir)]
    done = subprocess.run([*cmd, "seraing", "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["territory"]["code"] == "62096"
    assert {"CPAS", "SAJ", "SPJ"} <= {a for s in payload["services"] for t in s["service_type"] for a in t["acronym"]}
    bad = subprocess.run([*cmd, "Seraingg"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Seraing" in bad.stderr
