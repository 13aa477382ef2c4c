"""Run public read-only SPARQL queries in worker processes that are killed at a deadline.

Neither pyoxigraph nor rdflib can stop a running query from Python, so the public endpoint never
evaluates one in the web process. A :class:`WorkerPool` keeps ``workers`` child processes
(``python -m graph.sparql.worker``), each with the store opened read-only. A query is sent to an idle
worker over a pipe; if no answer has come by the deadline the worker is killed (SIGKILL) and replaced
in the background. The pool's size is the overall concurrency cap, ``per_client`` the cap per client:
beyond them :class:`Busy` says 503 or 429 and when to retry. A worker also caps its memory
(``RLIMIT_DATA``) so that one query cannot exhaust the machine.

In the worker every query is checked by :func:`graph.sparql.guard.check_read_only` (updates, SERVICE,
FROM/FROM NAMED refused) before evaluation; :func:`outbound_keyword` is a second, lexical check run
in the web process (after SPARQL ``\\u`` escapes are expanded, outside strings, IRIs and comments).
SELECT results are cut at ``row_limit`` solutions, CONSTRUCT/DESCRIBE at ``row_limit`` triples, and the
outcome says so (``truncated``). Results are written by this module: SPARQL 1.1 Query Results JSON,
XML, CSV and TSV; graphs as Turtle, JSON-LD, N-Triples or RDF/XML (rdflib).

Limits come from the environment (:meth:`Limits.from_env`): ``PASSE_MURAILLE_SPARQL_TIMEOUT`` (seconds,
default 5), ``…_ROW_LIMIT`` (10000), ``…_WORKERS`` (4), ``…_PER_CLIENT`` (2), ``…_MAX_BYTES`` (65536,
request size), ``…_MEMORY_MB`` (2048, per worker), ``…_NICE`` (10: workers run at a lower CPU priority than
the web process, so that a pathological query slows other SPARQL queries, not lookups and pages).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import queue
import re
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "Limits", "Outcome", "Busy", "WorkerPool", "outbound_keyword", "RESULT_FORMATS", "GRAPH_FORMATS",
    "evaluate", "serialize_solutions", "serialize_boolean",
]

RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""SELECT/ASK result formats: short name → media type."""

GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
"""CONSTRUCT/DESCRIBE result formats: short name → media type."""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Limits:
    """The endpoint's limits (see the module docstring for the environment variables)."""

    timeout: float = 5.0
    row_limit: int = 10_000
    workers: int = 4
    per_client: int = 2
    max_request_bytes: int = 65_536
    memory_mb: int = 2048
    nice: int = 10

    @classmethod
    def from_env(cls) -> Limits:
        def get(name: str, default, cast):
            raw = os.environ.get(f"PASSE_MURAILLE_SPARQL_{name}")
            try:
                value = cast(raw) if raw else default
            except ValueError:
                return default
            return value if value > 0 else default

        return cls(timeout=get("TIMEOUT", cls.timeout, float), row_limit=get("ROW_LIMIT", cls.row_limit, int),
                   workers=get("WORKERS", cls.workers, int), per_client=get("PER_CLIENT", cls.per_client, int),
                   max_request_bytes=get("MAX_BYTES", cls.max_request_bytes, int),
                   memory_mb=get("MEMORY_MB", cls.memory_mb, int), nice=min(19, get("NICE", cls.nice, int)))


@dataclass
class Outcome:
    """What a query gave: an HTTP status, a body and its media type, and whether rows were cut."""

    status: int
    content_type: str = "application/json"
    body: bytes = b""
    truncated: bool = False
    rows: int = 0
    message: str = ""
    seconds: float = 0.0
    form: str = ""


class Busy(Exception):
    """Too many queries: ``status`` 429 (this client) or 503 (overall), retry after ``retry_after`` s."""

    def __init__(self, status: int, message: str, retry_after: int):
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


# ------------------------------------------------------------------ lexical check (web process)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*',
    re.S,
)
_OUTBOUND = re.compile(r"(?<![\w:?$])(SERVICE|FROM)(?![\w:])", re.I)


def _unescape(match: re.Match) -> str:
    try:
        return chr(int(match.group(1) or match.group(2), 16))
    except ValueError:
        return ""


def outbound_keyword(query: str) -> str | None:
    """``"SERVICE"`` or ``"FROM"`` if the query uses one as a keyword (escapes expanded), else None."""
    code = _NOT_CODE.sub(" ", _ESCAPE.sub(_unescape, query))
    found = _OUTBOUND.search(code)
    return found.group(1).upper() if found else None


# ------------------------------------------------------------------ serialisation (worker process)

def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_XML_BAD.sub("\ufffd", text))


def _xml_term(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(str(term))}</literal>"


def _csv_cell(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def serialize_solutions(variables: list[str], rows: list[list], fmt: str) -> bytes:
    """SELECT results (``rows`` of pyoxigraph terms or None) in ``fmt`` (a key of RESULT_FORMATS)."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head>\n<results>")
        for row in rows:
            parts.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                              for v, t in zip(variables, row, strict=True) if t is not None)
                         + "</result>")
        parts.append("</results>\n</sparql>\n")
        return "\n".join(parts).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(variables)] + [",".join(_csv_cell(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown result format {fmt!r}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result in ``fmt``."""
    text = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{text}</boolean></sparql>\n").encode()
    if fmt == "csv":
        return f"_askResult\r\n{text}\r\n".encode()
    return f"?_askResult\n{text}\n".encode()


def _serialize_graph(ntriples: str, fmt: str) -> bytes:
    if fmt == "ntriples":
        return ntriples.encode("utf-8")
    from rdflib import Graph

    from graph.vocab.namespaces import PREFIXES

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.parse(data=ntriples, format="nt")
    if fmt == "turtle":
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
    if fmt == "rdfxml":
        return graph.serialize(format="xml", encoding="utf-8")
    raise ValueError(f"unknown graph format {fmt!r}")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


def evaluate(ox_store, query: str, result_format: str | None, graph_format: str | None, row_limit: int,
             prefixes: dict[str, str] | None = None) -> Outcome:
    """Check and run ``query`` on a pyoxigraph store; never raises for a bad query (status 400/406)."""
    import pyoxigraph as ox

    from graph.sparql.guard import QueryRefused, check_read_only, query_form

    start = time.perf_counter()
    try:
        form = query_form(check_read_only(query))
    except QueryRefused as err:
        return Outcome(400, message=str(err))
    wanted = result_format if form in ("SELECT", "ASK") else graph_format
    if wanted is None:
        kinds = ", ".join(RESULT_FORMATS.values() if form in ("SELECT", "ASK") else GRAPH_FORMATS.values())
        return Outcome(406, message=f"no acceptable format for a {form} query: use one of {kinds}", form=form)
    try:
        result = ox_store.query(query, prefixes=prefixes)
        if isinstance(result, ox.QueryBoolean):
            body, count, truncated = serialize_boolean(bool(result), wanted), 1, False
            media = RESULT_FORMATS[wanted]
        elif isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = [], False
            for solution in result:
                if len(rows) >= row_limit:
                    truncated = True
                    break
                rows.append([solution[i] for i in range(len(variables))])
            body, count, media = serialize_solutions(variables, rows, wanted), len(rows), RESULT_FORMATS[wanted]
        else:
            lines, truncated = [], False
            for triple in result:
                if len(lines) >= row_limit:
                    truncated = True
                    break
                lines.append(f"{triple} .")
            body, count = _serialize_graph("\n".join(lines) + "\n", wanted), len(lines)
            media = GRAPH_FORMATS[wanted]
    except SyntaxError as err:
        return Outcome(400, message=_one_line(f"SPARQL syntax error: {err}"), form=form)
    except MemoryError:
        return Outcome(503, message="the query needed more memory than a query may use", form=form)
    except (OSError, ValueError, TypeError, RuntimeError) as err:
        return Outcome(400, message=_one_line(f"query failed: {err}"), form=form)
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Outcome(200, media + charset, body, truncated, count, seconds=time.perf_counter() - start, form=form)


# ------------------------------------------------------------------ worker process

class _StoreHandle:
    """The current embedded build, reopened when ``current`` points at another build."""

    def __init__(self, root: Path):
        self.root = root
        self.build_dir: Path | None = None
        self.store = None

    def get(self):
        import pyoxigraph as ox

        build_dir = (self.root / "current").resolve()
        if build_dir != self.build_dir:
            self.store = ox.Store.read_only(str(build_dir / "oxigraph"))
            self.build_dir = build_dir
        return self.store


def _write(out, header: dict, body: bytes = b"") -> None:
    header = {**header, "length": len(body)}
    out.write(json.dumps(header).encode() + b"\n" + body)
    out.flush()


def _limit_memory(megabytes: int) -> None:
    import resource

    limit = megabytes * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def worker_niceness(nice: int) -> int:
    """The niceness a worker runs at: the web process's own plus ``nice``, capped at 19 (the lowest priority)."""
    return min(19, os.getpriority(os.PRIO_PROCESS, 0) + max(0, nice))


def _lower_priority(pid: int, niceness: int) -> None:
    """Set process ``pid`` (0: this one) to ``niceness`` (absolute, so repeating it changes nothing)."""
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, pid, niceness)


def _serve(store_root: Path, memory_mb: int, niceness: int | None = None) -> None:
    """The worker's loop: one JSON request line in, one JSON header line plus a body out."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints of libraries must not corrupt the protocol
    _limit_memory(memory_mb)
    if niceness is not None:  # the parent already did; this covers a worker started by hand
        _lower_priority(0, niceness)
    from graph.vocab.namespaces import PREFIXES

    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    handle = _StoreHandle(store_root)
    try:
        handle.get()
    except OSError as err:
        _write(out, {"ready": False, "message": _one_line(str(err))})
        return
    _write(out, {"ready": True})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            store = handle.get()
        except OSError as err:
            outcome = Outcome(503, message=_one_line(f"store unavailable: {err}"))
        else:
            outcome = evaluate(store, request["query"], request.get("result_format"), request.get("graph_format"),
                               int(request["row_limit"]), prefixes)
        header = {k: v for k, v in outcome.__dict__.items() if k != "body"}
        _write(out, header, outcome.body)


# ------------------------------------------------------------------ pool (web process)

class _Worker:
    def __init__(self, store_root: Path, memory_mb: int, ready_timeout: float = 60.0, nice: int = 0):
        niceness = worker_niceness(nice)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "graph.sparql.worker", str(store_root), str(memory_mb), str(niceness)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True, close_fds=True)
        # Lowered from here at once, so that even the worker's start-up (imports, opening the store) never
        # competes with the site at its priority.
        _lower_priority(self.proc.pid, niceness)
        header, _ = self.read(time.monotonic() + ready_timeout)
        if not header or not header.get("ready"):
            self.kill()
            raise OSError((header or {}).get("message", "SPARQL worker did not start"))

    def read(self, deadline: float) -> tuple[dict | None, bytes]:
        """Header and body of the next answer, or (None, b"") at the deadline or if the worker died."""
        fd = self.proc.stdout.fileno()
        buffer = bytearray()
        header, need = None, None
        while True:
            if header is None and b"\n" in buffer:
                head, _, rest = bytes(buffer).partition(b"\n")
                header, buffer, need = json.loads(head), bytearray(rest), None
                need = header.get("length", 0)
            if header is not None and len(buffer) >= need:
                return header, bytes(buffer[:need])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, b""
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None, b""
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None, b""
            buffer += chunk

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()


@dataclass
class _Clients:
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: dict[str, int] = field(default_factory=dict)


class WorkerPool:
    """``limits.workers`` query processes over the embedded store at ``store_root``."""

    def __init__(self, store_root: Path | str, limits: Limits | None = None):
        self.root = Path(store_root)
        self.limits = limits or Limits.from_env()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._slots = threading.BoundedSemaphore(self.limits.workers)
        self._clients = _Clients()
        self._closed = False
        self._started = False
        self._start_lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._warm = False
        self.killed = 0
        """Number of workers killed at the deadline (for tests and monitoring)."""

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.limits.timeout))

    def _spawn(self) -> None:
        def start() -> None:
            for attempt in range(3):
                if self._closed:
                    return
                try:
                    worker = _Worker(self.root, self.limits.memory_mb, nice=self.limits.nice)
                except OSError:
                    time.sleep(0.5 * (attempt + 1))
                    continue
                with self._start_lock:
                    if self._closed:
                        worker.kill()
                        return
                    self._all.add(worker)
                self._idle.put(worker)
                return

        threading.Thread(target=start, name="sparql-worker-start", daemon=True).start()

    def start(self) -> None:
        """Start the workers (in the background; called on first use)."""
        with self._start_lock:
            if not self._started:
                self._started = True
                for _ in range(self.limits.workers):
                    self._spawn()

    @contextlib.contextmanager
    def _client_slot(self, client: str):
        with self._clients.lock:
            if self._clients.counts.get(client, 0) >= self.limits.per_client:
                raise Busy(429, f"at most {self.limits.per_client} concurrent queries per client", self.retry_after)
            self._clients.counts[client] = self._clients.counts.get(client, 0) + 1
        try:
            yield
        finally:
            with self._clients.lock:
                self._clients.counts[client] -= 1
                if not self._clients.counts[client]:
                    del self._clients.counts[client]

    def run(self, client: str, query: str, result_format: str | None, graph_format: str | None) -> Outcome:
        """Evaluate ``query`` for ``client``; raises :class:`Busy` when a concurrency cap is reached."""
        if self._closed:
            raise Busy(503, "the SPARQL endpoint is shutting down", self.retry_after)
        self.start()
        with self._client_slot(client):
            if not self._slots.acquire(blocking=False):
                raise Busy(503, f"the endpoint is answering {self.limits.workers} queries already",
                           self.retry_after)
            try:
                return self._run(query, result_format, graph_format)
            finally:
                self._slots.release()

    def _run(self, query: str, result_format: str | None, graph_format: str | None) -> Outcome:
        # Once the pool has served, the deadline covers the whole request, waiting for a worker included;
        # the very first query may wait for the pool to start.
        warm = self._warm
        arrived = time.monotonic()
        try:
            worker = self._idle.get(timeout=self.limits.timeout if warm else 60.0)
        except queue.Empty:
            raise Busy(503, "no SPARQL worker became free within the time limit (one is restarting)",
                       self.retry_after) from None
        self._warm = True
        start = time.monotonic()
        deadline = (arrived if warm else start) + self.limits.timeout
        if not worker.alive():
            worker.kill()
            self._all.discard(worker)
            self._spawn()
            return Outcome(503, message="the SPARQL worker stopped; try again")
        request = {"query": query, "result_format": result_format, "graph_format": graph_format,
                   "row_limit": self.limits.row_limit}
        try:
            worker.proc.stdin.write(json.dumps(request).encode() + b"\n")
            worker.proc.stdin.flush()
        except OSError:
            worker.kill()
            self._all.discard(worker)
            self._spawn()
            return Outcome(503, message="the SPARQL worker stopped; try again")
        header, body = worker.read(deadline)
        elapsed = time.monotonic() - start
        if header is None:
            timed_out = worker.alive()
            worker.kill()
            self._all.discard(worker)
            self.killed += 1
            self._spawn()
            if timed_out:
                return Outcome(503, message=f"query stopped at the {self.limits.timeout:g} s time limit; "
                                            "narrow it or add a LIMIT", seconds=elapsed)
            return Outcome(503, message="the query stopped its worker (memory limit?); narrow it", seconds=elapsed)
        self._idle.put(worker)
        header.pop("length", None)
        return Outcome(**{**header, "body": body, "seconds": elapsed})

    def close(self) -> None:
        """Stop every worker."""
        with self._start_lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()


def _main(argv: Iterable[str]) -> None:
    args = list(argv)
    _serve(Path(args[0]), int(args[1]) if len(args) > 1 else Limits.memory_mb, int(args[2]) if len(args) > 2 else None)


if __name__ == "__main__":  # pragma: no cover - the worker process
    _main(sys.argv[1:])
