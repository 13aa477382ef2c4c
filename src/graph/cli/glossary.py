"""Commands of the jargon decoder: ``lookup``, ``decode``, ``extract``, ``ingest``, ``bench glossary``.

The JSON printed with ``--json`` is the stable contract of issue 4; without it, rich tables.
``FILE`` may be ``-`` for standard input.
"""


from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from graph.cli.common import EndpointOption, JsonOption, StoreOption, bench_app, console, emit_json, err_console, fail

__all__ = ["register"]

CountryOption = Annotated[str | None, typer.Option("--country", help="Your country or region id (be, be-fwb, fr…).")]
SectorOption = Annotated[str | None, typer.Option("--sector", help="Your sector id (aide-jeunesse, aide-sociale…).")]
FilesArgument = Annotated[list[str], typer.Argument(help="Files (.txt, .md, .pdf, .docx); '-' reads stdin.")]


def _index(store, endpoint, as_json):
    from graph.cli.common import open_or_fail as _open
    from graph.glossary.index import get_index

    return get_index(_open(store, endpoint, as_json))


def _documents(files: list[str], as_json: bool):
    from graph.cli.common import fail
    from graph.glossary.readers import ReadError, read_document

    documents = []
    for name in files:
        try:
            documents.append(read_document(name))
        except ReadError as err:
            fail(str(err), as_json)
    return documents


def register(app: typer.Typer) -> None:
    """Add the glossary commands to ``app`` and ``bench glossary`` to its bench sub-app."""
    @app.command()
    def lookup(terms: Annotated[list[str], typer.Argument(help="Acronyms or terms to look up.")],
               country: CountryOption = None, sector: SectorOption = None,
               limit: Annotated[int, typer.Option(help="At most this many senses per term.")] = 20,
               store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
        """Every sense of each TERM (acronym or full form), ranked by your country and sector."""
        from graph.glossary.lookup import lookup as lookup_term

        index = _index(store, endpoint, as_json)
        results = [lookup_term(index, term, country, sector, limit=limit) for term in terms]
        if as_json:
            emit_json(results)
            return
        def senses_table(senses: list[dict], title: str) -> RichTable:
            table = RichTable("acronym", "full form", "sector", "country", "score", "why", "sources", title=title,
                              show_lines=True)
            for sense in senses:
                label = sense["label"] or "[italic]development unknown (no source gives it)[/]"
                if sense["definition"]:
                    label += f"\n[dim]{sense['definition']}[/]"
                table.add_row(sense["acronym"] or "", label, ", ".join(sense["sector"]), ", ".join(sense["country"]),
                              f"{sense['score']:.2f}", sense["reason"],
                              "; ".join(filter(None, (s["title"] or s["id"] for s in sense["sources"]))))
            return table

        for result in results:
            if not result["senses"]:
                hint = f" Did you mean: {', '.join(result['suggestions'])}?" if result["suggestions"] else ""
                console.print(f"[yellow]{result['query']}[/]: not in the glossary.{hint}", highlight=False)
            else:
                console.print(senses_table(result["senses"], f"« {result['query']} »"))
            if result.get("near"):
                console.print(senses_table(result["near"], f"Near « {result['query']} » (other acronyms)"))
            if result["actors_omitted"]:
                console.print(f"  … and {result['actors_omitted']} more actors with this acronym.")

    @app.command()
    def decode(files: FilesArgument, country: CountryOption = None, sector: SectorOption = None,
               store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
        """Annotate each FILE: every acronym and jargon term with its ranked senses; unknown acronyms."""
        from graph.glossary.decode import decode as decode_text

        index = _index(store, endpoint, as_json)
        results = []
        for document in _documents(files, as_json):
            result = decode_text(index, document.text, country, sector)
            results.append({"file": document.name, "annotations": result["annotations"], "unknown": result["unknown"],
                            "context": result["context"]})
        if as_json:
            emit_json(results)
            return
        for result in results:
            table = RichTable("where", "text", "kind", "best sense", "sector", "country", title=result["file"])
            for annotation in result["annotations"]:
                best = annotation["senses"][0] if annotation["senses"] else {}
                label = best.get("label") or ("development unknown" if best else "")
                if annotation["defined_in_text"]:
                    label += " [dim](defined in the text)[/]"
                table.add_row(f"{annotation['start']}", annotation["text"], annotation["kind"], label,
                              ", ".join(best.get("sector") or []), ", ".join(best.get("country") or []))
            console.print(table)
            if result["unknown"]:
                console.print("Unknown acronyms: " + ", ".join(
                    f"{u['text']} ×{len(u['occurrences'])}" for u in result["unknown"]), highlight=False)

    @app.command()
    def extract(files: FilesArgument, as_json: JsonOption = False) -> None:
        """The abbreviations each FILE defines itself, with their expansions as written."""
        from graph.glossary.extract import extract_pairs

        results = [{"file": d.name, "pairs": [p.as_dict() for p in extract_pairs(d.text)]}
                   for d in _documents(files, as_json)]
        if as_json:
            emit_json(results)
            return
        for result in results:
            table = RichTable("short", "long", "start", "end", "pattern", title=result["file"])
            for pair in result["pairs"]:
                table.add_row(pair["short"], pair["long"], str(pair["start"]), str(pair["end"]), pair["pattern"])
            console.print(table)

    @app.command()
    def ingest(file: Annotated[str, typer.Argument(help="A document (.txt, .md, .pdf, .docx) or '-'.")],
               nlp: Annotated[bool, typer.Option("--nlp/--no-nlp", help="Use spaCy's French NER if installed.")] = True,
               store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
        """Queue the candidate senses, actors and co-mentions of FILE for review (nothing is published)."""
        from graph.config import store_dir
        from graph.glossary.ingest import ingest as ingest_document
        from graph.glossary.review_queue import ReviewQueue, queue_path

        backend = _open_backend(store, endpoint, as_json)
        from graph.glossary.index import get_index

        index = get_index(backend)
        root = getattr(backend, "root", None) or store or store_dir()
        queue = ReviewQueue(queue_path(root))
        (document,) = _documents([file], as_json)
        report = ingest_document(index, document, queue, use_nlp=nlp)
        if as_json:
            emit_json({"ok": True, **report.as_dict(), "queue": str(queue.path)})
            return
        if not report.nlp.get("available"):
            err_console.print(f"[yellow]{report.nlp.get('message')}[/]")
        table = RichTable("id", "kind", "candidate", "where", title=f"Queued for review from {report.document}")
        for item in report.queued:
            payload = item["payload"]
            what = (f"{payload['short']} = {payload['long']}" if item["kind"] == "sense" else payload["label"]
                    if item["kind"] == "actor" else f"{payload['a']['label']} ↔ {payload['b']['label']}")
            table.add_row(str(item["id"]), item["kind"], what, f"{item['start']}–{item['end']}")
        console.print(table)
        console.print(f"{len(report.queued)} queued, {report.already_queued} already queued, "
                      f"{len(report.already_known)} already in the glossary. Queue: {queue.path}")

    @app.command()
    def harvest(corpus: Annotated[Path | None, typer.Option("--corpus", help="Folder of public documents: <id>.txt "
                                                                             "with an <id>.json sidecar (url, title…); "
                                                                             "default data/corpus.")] = None,
                dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, queue nothing.")] = False,
                store: StoreOption = None, endpoint: EndpointOption = None, as_json: JsonOption = False) -> None:
        """Run the extractor over a corpus of public documents; queue new acronyms and expansions for review."""
        from graph.config import data_dir, store_dir
        from graph.glossary.harvest import harvest as harvest_corpus
        from graph.glossary.index import get_index
        from graph.glossary.review_queue import ReviewQueue, queue_path

        folder = corpus or data_dir() / "corpus"
        if not folder.is_dir():
            fail(f"no corpus folder at {folder}", as_json, code=2)
        backend = _open_backend(store, endpoint, as_json)
        root = getattr(backend, "root", None) or store or store_dir()
        queue = None if dry_run else ReviewQueue(queue_path(root))
        report = harvest_corpus(get_index(backend), folder, queue, dry_run=dry_run)
        if as_json:
            emit_json({"ok": True, **report.as_dict(), "queue": str(queue.path) if queue else None})
            return
        table = RichTable("document", "acronym", "expansion", "status", "line", title=f"Harvest of {folder}")
        for item in report.items:
            table.add_row(item["document"], item["short"], item["long"], item["status"], str(item.get("line", "")))
        console.print(table)
        counts = report.counts()
        console.print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items())
                      + ("" if queue is None else f". Queue: {queue.path}"))
        for skipped in report.skipped:
            err_console.print(f"[yellow]skipped {skipped['file']}: {skipped['reason']}[/]")

    def _open_backend(store, endpoint, as_json):
        from graph.cli.common import open_or_fail as _open

        return _open(store, endpoint, as_json)

    @bench_app.command("glossary")
    def bench_glossary(synthetic: Annotated[int, typer.Option(help="Senses in the synthetic glossary.")] = 100_000,
                       store: StoreOption = None, as_json: JsonOption = False) -> None:
        """Extraction P/R/F1 (ours vs Schwartz–Hearst) and lookup / autocomplete / decode speed."""
        from graph.bench.glossary import run_glossary_benchmark

        try:
            result = run_glossary_benchmark(store=store, synthetic=synthetic,
                                            log=None if as_json else err_console.print)
        except FileNotFoundError as err:
            fail(str(err), as_json)
        if as_json:
            emit_json(result)
            return
        table = RichTable("extractor", "precision", "recall", "F1", "TP", "FP", "gold",
                          title="Abbreviation extraction on the seeds' gold pairs")
        for row in result["extraction"]:
            table.add_row(row["name"], f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}",
                          str(row["tp"]), str(row["fp"]), str(row["gold"]))
        console.print(table)
        table = RichTable("glossary", "entries", "index build s", "lookup p50 ms", "lookup p99 ms",
                          "autocomplete p50 ms", "autocomplete p99 ms", title="Lookup speed (in process)")
        for row in result["speed"]:
            table.add_row(row["name"], str(row["entries"]), f"{row['index_seconds']:.2f}",
                          f"{row['lookup_p50_ms']:.4f}", f"{row['lookup_p99_ms']:.4f}",
                          f"{row['autocomplete_p50_ms']:.4f}", f"{row['autocomplete_p99_ms']:.4f}")
        console.print(table)
        decode_row = result["decode"]
        console.print(f"Decode of {decode_row['chars']:,} characters: {decode_row['seconds']:.3f} s "
                      f"({decode_row['annotations']} annotations). Targets: lookup p50 < 0.2 ms, "
                      "autocomplete p99 < 5 ms, decode < 0.5 s.")

    _ = (lookup, decode, extract, ingest, bench_glossary, Path)
