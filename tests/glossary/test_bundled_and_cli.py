"""On the bundled data (which grows): the CLI contract of issue 4, and facts that hold as it grows."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graph.cli.app import app
from graph.glossary.index import get_index
from graph.glossary.lookup import lookup

runner = CliRunner()


def invoke(*args, input=None):
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_index_is_built_once_per_store_version(bundled_store):
    assert get_index(bundled_store) is get_index(bundled_store)
    assert get_index(bundled_store).version == bundled_store.version


def test_bundled_facts(bundled_store):
    index = get_index(bundled_store)
    amo = lookup(index, "AMO", country="be-fwb")["senses"][0]
    assert amo["label"] == "service d'action en milieu ouvert"
    zs = [s for s in lookup(index, "ZS")["senses"] if "ch" in s["country"]]
    assert zs and zs[0]["label"] is None and zs[0]["expansion"] == "unknown"
    for acronym in ("SAJ", "SPJ"):
        assert lookup(index, acronym)["senses"]


def test_cli_lookup_contract(bundled_store_dir):
    data = json.loads(invoke("lookup", "AMO", "a.m.o.", "zzqx", "--country", "be-fwb", "--store",
                             str(bundled_store_dir), "--json"))
    assert [d["query"] for d in data] == ["AMO", "a.m.o.", "zzqx"]
    sense = data[0]["senses"][0]
    for key in ("label", "acronym", "definition", "sector", "country", "score", "reason", "iri", "sources"):
        assert key in sense
    assert data[2]["senses"] == []
    assert "AMO" in invoke("lookup", "AMO", "--store", str(bundled_store_dir))
    near = json.loads(invoke("lookup", "AMOO", "--store", str(bundled_store_dir), "--json"))[0]["near"]
    text = invoke("lookup", "AMOO", "--store", str(bundled_store_dir))
    assert "not in the glossary" in text and "Near « AMOO »" in text
    assert near and all(n["acronym"] in text for n in near)


def test_cli_decode_contract_with_stdin(bundled_store_dir):
    text = "Le SAJ oriente vers une AMO. Le QQZ est inconnu."
    data = json.loads(invoke("decode", "-", "--store", str(bundled_store_dir), "--json", input=text))
    (result,) = data
    assert result["file"] == "-"
    annotation = result["annotations"][0]
    assert {"text", "start", "end", "kind", "defined_in_text", "senses"} <= set(annotation)
    assert {"label", "sector", "country", "score", "iri"} <= set(annotation["senses"][0])
    assert result["unknown"] == [{"text": "QQZ", "occurrences": [[text.index("QQZ"), text.index("QQZ") + 3]]}]


def test_cli_extract_contract(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("les jeunes sortant de l'Aide sociale à l'enfance (ASE) et des Mineurs non accompagnés (MNA)",
                    encoding="utf-8")
    data = json.loads(invoke("extract", str(path), "--json"))
    assert data[0]["file"] == str(path)
    assert [(p["short"], p["long"]) for p in data[0]["pairs"]] == [
        ("ASE", "Aide sociale à l'enfance"), ("MNA", "Mineurs non accompagnés")]
    assert set(data[0]["pairs"][0]) >= {"short", "long", "start", "end"}


def test_cli_ingest(bundled_store_dir, tmp_path):
    path = tmp_path / "minutes.md"
    path.write_text("Le Dispositif d'accrochage scolaire renforcé (DASR) aide le SAJ et la MADO.\n", encoding="utf-8")
    data = json.loads(invoke("ingest", str(path), "--no-nlp", "--store", str(bundled_store_dir), "--json"))
    assert data["ok"] and data["queue"].endswith("review/queue.sqlite")
    assert any(q["kind"] == "sense" and q["payload"]["short"] == "DASR" for q in data["queued"])


def test_bench_functions_are_fast_enough_on_a_small_synthetic_glossary():
    from graph.bench.glossary import speed_figures, synthetic_index

    figures = speed_figures(synthetic_index(2000), "tiny", calls=300)
    assert figures["entries"] == 2000
    assert figures["lookup_p50_ms"] < 5 and figures["autocomplete_p99_ms"] < 50
