"""The researchers' notebooks run green on the bundled data (executed with nbclient, like a reader would).

Each notebook reads the store named by ``PASSE_MURAILLE_STORE`` (here the session's bundled build) through the
library, draws its figures inline and ends by printing a JSON summary of what it found (``RESUME``); the tests
check that no cell failed, that the figures exist and that the summary holds the key results.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

EXPECTED = {
    "01_qui_sont_les_passe_murailles.ipynb": {
        "figures": 4,
        "keys": {"noeuds", "arcs", "acteurs_amorces", "premier_passe_muraille", "points_articulation",
                 "secteurs_avec_courtiers", "carte_noeuds_dessines"},
    },
    "02_ou_sont_les_trous.ipynb": {
        "figures": 3,
        "keys": {"ei_global", "ei_attendu", "paires_sans_lien", "paires_sans_protocole_en_vigueur",
                 "trous_structuraux", "manques_par_age", "protocoles_non_en_vigueur", "liens_suggeres"},
    },
    "03_comparer_les_pays.ipynb": {
        "figures": 3,
        "keys": {"couverture_par_pays", "types_par_pays", "mandats", "sens_par_pays", "reseaux"},
    },
    "04_interroger_et_exporter.ipynb": {
        "figures": 0,
        "keys": {"sigles_ambigus", "sparqlwrapper_lignes", "sparqlwrapper_identique", "gexf_noeuds",
                 "graphml_noeuds", "hsds_organisations", "hsds_services", "fichiers"},
    },
}


@pytest.fixture(scope="module")
def executed(bundled_store_dir, tmp_path_factory):
    """Execute every notebook once (module scope) against the bundled store; name → executed notebook."""
    import os

    from nbclient import NotebookClient

    old = {k: os.environ.get(k) for k in ("PASSE_MURAILLE_STORE", "PASSE_MURAILLE_ENDPOINT", "MPLBACKEND")}
    os.environ["PASSE_MURAILLE_STORE"] = str(bundled_store_dir)   # the kernel inherits the environment
    os.environ.pop("PASSE_MURAILLE_ENDPOINT", None)
    os.environ["MPLBACKEND"] = "Agg"                              # %matplotlib inline overrides it in-kernel
    workdir = tmp_path_factory.mktemp("notebooks")
    results = {}
    try:
        for name in EXPECTED:
            nb = nbformat.read(NOTEBOOKS / name, as_version=4)
            client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                                    resources={"metadata": {"path": str(workdir)}})
            client.execute()
            results[name] = nb
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return results


def _outputs(nb):
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def test_the_four_notebooks_exist_in_french():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)
    for name in EXPECTED:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(nb)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "open_store" in code
        assert "read_csv(\"data" not in code and "data/" not in code.replace("data/`", "")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_green(executed, name):
    nb = executed[name]
    errors = [out for out in _outputs(nb) if out.get("output_type") == "error"]
    assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    figures = [out for out in _outputs(nb) if "image/png" in out.get("data", {})]
    assert len(figures) >= EXPECTED[name]["figures"]
    summary = json.loads(nb.cells[-1].outputs[0]["text"])
    assert EXPECTED[name]["keys"] <= set(summary), set(EXPECTED[name]["keys"]) - set(summary)


def test_key_results_on_the_bundled_data(executed):
    brokers = json.loads(executed["01_qui_sont_les_passe_murailles.ipynb"].cells[-1].outputs[0]["text"])
    assert brokers["noeuds_relies"] > 50 and brokers["points_articulation"] > 0
    gaps = json.loads(executed["02_ou_sont_les_trous.ipynb"].cells[-1].outputs[0]["text"])
    assert gaps["ei_global"] < gaps["ei_attendu"]          # ties stay inside sectors more than chance
    assert "0-3" in gaps["manques_par_age"] or any("0" in band for band in gaps["manques_par_age"])
    countries = json.loads(executed["03_comparer_les_pays.ipynb"].cells[-1].outputs[0]["text"])
    assert {"Belgique", "France", "Suisse"} <= set(countries["types_par_pays"])
    export = json.loads(executed["04_interroger_et_exporter.ipynb"].cells[-1].outputs[0]["text"])
    assert export["sparqlwrapper_identique"] is True
    assert export["gexf_noeuds"] == export["graphml_noeuds"] > 0
    assert export["hsds_services"] > 0
