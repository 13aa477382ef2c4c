"""The jargon decoder: look up, decode, extract and ingest (issue 4).

One module per job:

* :mod:`.normalize` — folding, keys, stopwords;
* :mod:`.model` — the :class:`Entry` records;
* :mod:`.index` — the in-memory index built once per store version (:func:`get_index`);
* :mod:`.context` — ranking by country/region and sector, with reasons;
* :mod:`.lookup` — exact, normalised, reverse and fuzzy lookup, "did you mean";
* :mod:`.autocomplete` — prefix completion;
* :mod:`.extract` — abbreviations a text defines (French-aware, after Schwartz & Hearst 2003);
* :mod:`.decode` — annotate a text with acronyms and terms, unknown acronyms;
* :mod:`.readers` — txt, md, pdf, docx → text;
* :mod:`.nlp` — spaCy ``fr_core_news_sm``, optional;
* :mod:`.ingest` and :mod:`.review_queue` — candidates queued for an editor, nothing published unreviewed;
* :mod:`.harvest` — a corpus folder of public documents harvested into the queue; unknown acronyms proposed;
* :mod:`.evaluate` — P/R/F1 against the seeds' gold pairs; top-1/top-3 of lookup and decode recall on a held-out set.
"""

from .autocomplete import complete
from .decode import decode
from .extract import Pair, extract_pairs
from .harvest import HarvestReport, harvest, propose_unknown, read_corpus
from .index import GlossaryIndex, build_index, cached_index, get_index
from .ingest import IngestReport, ingest
from .lookup import lookup, lookup_many
from .readers import Document, ReadError, read_document
from .review_queue import ReviewQueue, queue_path

__all__ = [
    "GlossaryIndex", "build_index", "cached_index", "get_index", "lookup", "lookup_many", "complete", "decode", "Pair",
    "extract_pairs", "ingest", "IngestReport", "Document", "ReadError", "read_document", "ReviewQueue", "queue_path",
    "harvest", "HarvestReport", "read_corpus", "propose_unknown",
]
