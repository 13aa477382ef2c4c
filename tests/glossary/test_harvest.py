"""Harvest of a corpus folder into the review queue, and proposals of unknown acronyms from lookup."""

from __future__ import annotations

import json

import pytest

from graph.glossary.harvest import harvest, locate, propose_unknown, read_corpus
from graph.glossary.review_queue import ReviewQueue

DOCS = {
    "cpas-guide": ("Le Centre public d'action sociale (CPAS) aide.\n\nLe Dispositif d'accrochage scolaire renforcé "
                   "(DASR) est nouveau.\n",
                   {"url": "https://example.org/guide", "title": "Guide", "date": "2024-01-02", "country": "be-fwb"}),
    "amo-note": ("Note\n\nL'AMO (Aide Médicale Organisée) rembourse.\nLa Maison de l'adolescent (MADO) écoute.\n",
                 {"url": "https://example.org/note", "title": "Note", "seen": "2026-12-07"}),
    "no-sidecar": ("Le Service XYZ (SXYZ).", None),
    "bad-sidecar": ("Le Service XYZ (SXYZ).", {"title": "no url"}),
}


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for doc_id, (text, meta) in DOCS.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        if meta is not None:
            (folder / f"{doc_id}.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "README").write_text("ignored", encoding="utf-8")
    return folder


def test_read_corpus_needs_a_sidecar_with_url_and_title(corpus):
    documents, skipped = read_corpus(corpus)
    assert [d.id for d in documents] == ["amo-note", "cpas-guide"]
    assert documents[0].date == "2026-12-07" and documents[1].url == "https://example.org/guide"
    assert sorted(s["file"] for s in skipped) == ["bad-sidecar.txt", "no-sidecar.txt"]


def test_harvest_counts_queues_new_ones_with_locator_and_is_idempotent(small_index, corpus, tmp_path):
    queue = ReviewQueue.for_store(tmp_path / "store")
    report = harvest(small_index, corpus, queue)
    assert report.counts() == {"documents": 2, "candidates": 4, "already_known": 2, "new_expansion": 1,
                               "new_acronym": 1, "queued": 2, "already_queued": 0}
    queued = {c.payload["short"]: c for c in queue.list()}
    assert set(queued) == {"AMO", "DASR"}
    assert queued["AMO"].payload["status"] == "new_expansion"
    dasr = queued["DASR"]
    assert dasr.payload["status"] == "new_acronym" and dasr.document == "cpas-guide"
    assert dasr.payload["source"]["url"] == "https://example.org/guide"
    assert dasr.payload["locator"] == {"line": 3, "paragraph": 2}
    assert dasr.payload["row"]["locator"] == "cpas-guide line 3, paragraph 2"
    assert dasr.payload["row"]["country"] == "be-fwb" and queued["AMO"].payload["row"]["country"] == ""
    assert "(DASR)" in dasr.snippet
    again = harvest(small_index, corpus, queue)
    assert again.queued == 0 and again.already_queued == 2 and len(queue.list()) == 2


def test_harvest_dry_run_writes_nothing(small_index, corpus, tmp_path):
    queue = ReviewQueue.for_store(tmp_path / "store")
    report = harvest(small_index, corpus, queue, dry_run=True)
    assert report.queued == 2 and queue.list() == []


def test_locate():
    text = "a\nb\n\nc\n  \nd"
    assert locate(text, text.index("d")) == {"line": 6, "paragraph": 3}
    assert locate(text, 0) == {"line": 1, "paragraph": 1}


def test_propose_unknown_acronym(small_index, tmp_path):
    queue = ReviewQueue.for_store(tmp_path)
    assert propose_unknown(small_index, queue, "AMO")["status"] == "known"
    text = "Réunion.\n\nLe CATTP (centre d'accueil thérapeutique à temps partiel) reçoit le jeune."
    first = propose_unknown(small_index, queue, "CATTP", text=text, document="mail-2026-12-07")
    assert first["status"] == "queued" and first["long"] == "centre d'accueil thérapeutique à temps partiel"
    candidate = queue.get(first["id"])
    assert candidate.payload["row"]["expansion"] == "known" and candidate.payload["locator"]["paragraph"] == 2
    assert text[candidate.start:candidate.end] == "CATTP"
    assert propose_unknown(small_index, queue, "CATTP", text=text, document="mail-2026-12-07")["status"] == \
        "already_queued"
    bare = propose_unknown(small_index, queue, "QQZ")
    assert bare["status"] == "queued" and queue.get(bare["id"]).payload["row"]["expansion"] == "unknown"
    assert propose_unknown(small_index, queue, "QQZ")["status"] == "already_queued"
    with pytest.raises(ValueError):
        propose_unknown(small_index, queue, " .. ")
