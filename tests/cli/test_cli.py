"""The ``passe-muraille`` command line, run as a real subprocess (the stable contract tools rely on)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.build.test_build import set_cell

CLI = [sys.executable, "-m", "graph.cli.app"]


def run(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, input=stdin, timeout=300,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory) -> Path:
    from tests.conftest import DATA_DIR

    store = tmp_path_factory.mktemp("cli-store")
    result = run("build", "--data", str(DATA_DIR), "--store", str(store), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["triples"] > 0 and set(report["seconds"]) == {"read", "triples", "validate", "store"}
    return store


def test_stats_json_contract(cli_store):
    result = run("stats", "--store", str(cli_store), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert isinstance(stats["triples"], int) and stats["triples"] > 0
    assert isinstance(stats["by_class"], dict) and stats["by_class"]["jargon sense"] > 0
    assert stats["sourced_share"] == 1.0
    assert stats["coverage"]["country"] and stats["by_source"]


def test_store_from_environment_variable(cli_store):
    result = run("stats", "--json", env={"PASSE_MURAILLE_STORE": str(cli_store)})
    assert result.returncode == 0 and json.loads(result.stdout)["sourced_share"] == 1.0


def test_sparql_json_is_sparql_results_json(cli_store):
    query = "SELECT ?s ?label WHERE { ?s a pm:ServiceType ; skos:prefLabel ?label } ORDER BY ?s LIMIT 3"
    result = run("sparql", query, "--store", str(cli_store), "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["head"]["vars"] == ["s", "label"]
    bindings = body["results"]["bindings"]
    assert len(bindings) == 3 and bindings[0]["s"]["type"] == "uri" and bindings[0]["label"]["type"] == "literal"


def test_sparql_ask_and_stdin(cli_store):
    result = run("sparql", "-", "--store", str(cli_store), "--json", stdin="ASK { ?s a pm:JargonSense }")
    assert result.returncode == 0 and json.loads(result.stdout)["boolean"] is True


@pytest.mark.parametrize("query, reason", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
    ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are not allowed"),
    ("SELECT * WHERE { ?s ?p }", "syntax error"),
])
def test_sparql_refuses_what_is_not_a_plain_query(cli_store, query, reason):
    before = run("stats", "--store", str(cli_store), "--json")
    result = run("sparql", query, "--store", str(cli_store), "--json")
    assert result.returncode == 2
    assert reason in json.loads(result.stdout)["error"]
    assert run("stats", "--store", str(cli_store), "--json").stdout == before.stdout


def test_validate_changes_no_store(tmp_path, data_copy):
    store = tmp_path / "store"
    result = run("validate", "--data", str(data_copy), "--json", env={"PASSE_MURAILLE_STORE": str(store)})
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["ok"] is True
    assert not store.exists()


def test_corrupted_copy_exits_nonzero_naming_file_row_column(tmp_path, data_copy, cli_store):
    before = run("stats", "--store", str(cli_store), "--json").stdout
    set_cell(data_copy / "referrals.csv", 0, "both_ways", "perhaps")
    result = run("build", "--data", str(data_copy), "--store", str(cli_store), "--json")
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert body["ok"] is False and body["stage"] == "read"
    assert {"file": "referrals.csv", "row": 2, "column": "both_ways",
            "message": "'perhaps' is not yes or no"} in body["problems"]
    human = run("build", "--data", str(data_copy), "--store", str(cli_store))
    assert human.returncode == 1
    assert "referrals.csv, row 2, column 'both_ways': 'perhaps' is not yes or no" in human.stderr
    assert run("stats", "--store", str(cli_store), "--json").stdout == before


def test_missing_store_is_a_clear_error(tmp_path):
    result = run("stats", "--store", str(tmp_path / "nowhere"), "--json")
    assert result.returncode == 1
    assert "run 'passe-muraille build' first" in json.loads(result.stdout)["error"]


def test_tables_doc_matches_data_readme():
    from graph.vocab.tables_doc import BEGIN_MARK, END_MARK, column_reference
    from tests.conftest import DATA_DIR

    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    documented = readme[readme.index(BEGIN_MARK): readme.index(END_MARK) + len(END_MARK)]
    assert documented.strip() == column_reference().strip(), \
        "run passe-muraille tables-doc and paste the output into data/README.md"


def test_sparql_construct_prints_ntriples(cli_store):
    result = run("sparql", "CONSTRUCT { ?s a pm:ServiceType } WHERE { ?s a pm:ServiceType } LIMIT 2",
                 "--store", str(cli_store))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 2 and all(line.endswith(" .") and "ServiceType" in line for line in lines)


def test_export_tables_writes_what_builds_the_same_version_and_refuses_a_used_directory(cli_store, tmp_path):
    out = tmp_path / "tables"
    done = run("export-tables", "--out", str(out), "--store", str(cli_store), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert "actors.csv" in report["files"] and all((out / name).exists() for name in report["files"])
    built = run("build", "--data", str(out), "--store", str(tmp_path / "store"), "--json")
    assert built.returncode == 0, built.stderr
    stats = json.loads(run("stats", "--store", str(tmp_path / "store"), "--json").stdout)
    assert stats["version"] == report["version"]
    before = sorted(p.name for p in out.iterdir())
    again = run("export-tables", "--out", str(out), "--store", str(cli_store), "--json")
    assert again.returncode == 2 and "not an empty directory" in again.stdout + again.stderr
    assert sorted(p.name for p in out.iterdir()) == before
