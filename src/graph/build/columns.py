"""The build's own data: a graph as integer columns (subject, predicate, object), and its version hash.

The columnar SHACL engine (:mod:`graph.build.shacl`) evaluates constraints on it; the version of a build is
:meth:`Columns.version`, a hash of the *set* of triples, so equal graphs have equal versions whatever the
order of rows.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NUMERIC = {f"{_XSD}{name}" for name in (
    "decimal", "integer", "int", "long", "short", "byte", "double", "float", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}
_ORDERED_AS_TEXT = {f"{_XSD}string", f"{_XSD}date", f"{_XSD}dateTime"}


def literal_parts(term: str) -> tuple[str, str, str] | None:
    """(lexical form, datatype IRI, language) of an N-Triples literal term, None for an IRI or blank node."""
    if not term.startswith('"'):
        return None
    end = term.rfind('"')
    lexical, suffix = term[1:end], term[end + 1:]
    if not suffix:
        return lexical, f"{_XSD}string", ""
    if suffix.startswith("@"):
        return lexical, _LANG_STRING, suffix[1:].lower()
    return lexical, suffix[3:-1], ""


def less_or_equal(left: str, right: str) -> bool:
    """SPARQL ``left <= right`` for the literals the shapes compare; False where SPARQL raises an error."""
    a, b = literal_parts(left), literal_parts(right)
    if a is None or b is None:
        return False
    if a[1] in _NUMERIC and b[1] in _NUMERIC:
        from decimal import Decimal, InvalidOperation

        try:
            return Decimal(a[0]) <= Decimal(b[0])
        except InvalidOperation:
            return False
    if a[1] == b[1] and a[1] in _ORDERED_AS_TEXT and "\\" not in a[0] + b[0]:
        return a[0] <= b[0]
    return False


class Columns:
    """A graph as three integer columns (subject, predicate, object codes into one term table), unique
    triples sorted by (predicate, subject, object): the data structure of the columnar SHACL evaluator.

    Built from N-Triples lines as :mod:`graph.build.triples` writes them (``<s> <p> o .``, one space between terms).
    """

    def __init__(self, subjects, predicates, objects):
        import numpy as np
        import pandas as pd

        self.np = np
        n = len(subjects)
        codes, self.terms = pd.factorize(np.concatenate([np.asarray(subjects, dtype=object),
                                                         np.asarray(objects, dtype=object)]))
        p_codes, self.predicates = pd.factorize(np.asarray(predicates, dtype=object))
        s, o, p = codes[:n], codes[n:], p_codes
        order = np.lexsort((o, s, p))
        s, o, p = s[order], o[order], p[order]
        if n:
            keep = np.ones(n, dtype=bool)
            keep[1:] = (s[1:] != s[:-1]) | (o[1:] != o[:-1]) | (p[1:] != p[:-1])
            s, o, p = s[keep], o[keep], p[keep]
        self.s, self.o, self.p = s, o, p
        self._term_index = pd.Index(self.terms)
        self._predicate_index = {term: index for index, term in enumerate(self.predicates)}
        self._instances: dict[str, object] = {}
        self._literals: dict[int, tuple[str, str, str] | None] = {}

    @classmethod
    def from_lines(cls, lines: list[str]) -> Columns:
        parts = [line.split(" ", 2) for line in lines]
        return cls([p[0] for p in parts], [p[1] for p in parts], [p[2][:-2] for p in parts])

    def __len__(self) -> int:
        return len(self.s)

    def version(self) -> str:
        """A content hash of the set of triples: the sorted term table, then the triples as sorted
        (subject, predicate, object) ranks in it. Equal graphs have equal versions, whatever the order."""
        import hashlib

        np = self.np
        digest = hashlib.sha256()
        if not len(self.s):
            return digest.hexdigest()[:16]
        terms = np.concatenate([self.terms, self.predicates]).astype(object)
        order = np.argsort(terms, kind="stable")
        rank = np.empty(len(terms), dtype=np.int64)
        rank[order] = np.arange(len(terms))
        digest.update(("\n".join(terms[order].tolist()) + "\n").encode("utf-8", "surrogatepass"))
        triples = np.stack([rank[self.s], rank[len(self.terms) + self.p], rank[self.o]], axis=1)
        triples = triples[np.lexsort((triples[:, 2], triples[:, 1], triples[:, 0]))]
        digest.update(np.ascontiguousarray(triples, dtype="<i8").tobytes())
        return digest.hexdigest()[:16]

    def code(self, term: str) -> int:
        """The code of ``term`` in the term table, -1 if the graph does not hold it."""
        found = self._term_index.get_indexer([term])[0]
        return int(found)

    def pairs(self, predicate: str):
        """(subject codes, object codes) of the triples with ``predicate``, sorted by subject then object."""
        index = self._predicate_index.get(predicate)
        if index is None:
            empty = self.np.empty(0, dtype=self.s.dtype)
            return empty, empty
        start, stop = self.np.searchsorted(self.p, [index, index + 1])
        return self.s[start:stop], self.o[start:stop]

    def instances(self, cls: str):
        """Sorted codes of the nodes ``?x rdf:type/rdfs:subClassOf* cls``."""
        if cls not in self._instances:
            sub_s, sub_o = self.pairs(SUBCLASS_OF)
            below: dict[int, list[int]] = {}
            for child, parent in zip(sub_s.tolist(), sub_o.tolist(), strict=True):
                below.setdefault(parent, []).append(child)
            start = self.code(cls)
            classes, todo = {start}, [start]
            while todo:
                for child in below.get(todo.pop(), ()):
                    if child not in classes:
                        classes.add(child)
                        todo.append(child)
            type_s, type_o = self.pairs(RDF_TYPE)
            mask = self.np.isin(type_o, self.np.fromiter(classes, dtype=type_o.dtype))
            self._instances[cls] = self.np.unique(type_s[mask])
        return self._instances[cls]

    def literal(self, code: int) -> tuple[str, str, str] | None:
        if code not in self._literals:
            self._literals[code] = literal_parts(self.terms[code])
        return self._literals[code]

    def datatype_mask(self, codes, datatype: str):
        """True where the term is a literal of ``datatype``."""
        return self.np.fromiter(((lit := self.literal(c)) is not None and lit[1] == datatype for c in codes.tolist()),
                                dtype=bool, count=len(codes))

    def targets(self, spec: tuple[tuple[str, str], ...]):
        parts = [self.instances(iri) if kind == "class" else self.np.unique(self.pairs(iri)[0]) for kind, iri in spec]
        return self.np.unique(self.np.concatenate(parts)) if parts else self.np.empty(0, dtype=self.s.dtype)

    def node(self, code: int) -> str:
        """A term as the SPARQL engine reports a focus node: the IRI (or blank node id) without brackets."""
        term = self.terms[code]
        return term[1:-1] if term.startswith("<") else term[2:] if term.startswith("_:") else term

    def value(self, code: int) -> str:
        """A term as the SPARQL engine reports a value: Oxigraph's N-Triples form."""
        term = self.terms[code]
        if term.startswith('"'):
            quad = next(iter(ox.parse(f"<urn:x:s> <urn:x:p> {term} .".encode(), format=ox.RdfFormat.N_TRIPLES)))
            return str(quad.object)
        return term

    def locate(self, focus_codes) -> dict[str, tuple[str, int]]:
        """Focus node → (pm:fromTable, pm:fromRow), as the tables recorded them."""
        from graph.vocab.namespaces import PM

        wanted = set(focus_codes)
        found: dict[int, list] = {}
        for position, predicate in enumerate((f"<{PM.fromTable}>", f"<{PM.fromRow}>")):
            subjects, objects = self.pairs(predicate)
            for subject, obj in zip(subjects.tolist(), objects.tolist(), strict=True):
                if subject in wanted and (lit := self.literal(obj)) is not None:
                    found.setdefault(subject, [None, None])[position] = lit[0]
        out = {}
        for code, (table, row) in found.items():
            if table is not None and row is not None:
                try:
                    out[self.node(code)] = (table, int(row))
                except ValueError:
                    continue
        return out


def graph_version(lines: Iterable[str]) -> str:
    """Content hash of a set of N-Triples lines (order and duplicates do not matter): equal graphs have equal
    versions, the same hash the build computes on its columns."""
    return Columns.from_lines(list(lines)).version()
