"""Documentation of the Passe-muraille vocabulary, generated from ``ontology/`` (the reader's reference).

pyLODE 3.4.1 was tried first: its installed package fails at start-up (it reads a ``pyproject.toml`` that the
wheel does not ship), so the documentation is generated here from the rdflib graph instead:

* :func:`markdown` — the reference in French with the English labels: the ontology's metadata, every class
  (superclasses, labels, comment, the properties its SHACL shape uses, with cardinalities and value classes),
  every property (kind, super-property, range, labels, comment) and every concept scheme with its concepts;
* :func:`dot` — the class diagram as Graphviz DOT text (for readers who have Graphviz);
* :func:`svg` — the same diagram drawn here as a self-contained SVG (no Graphviz, no external resource).

The diagram shows the classes of the model and the links between them: sub-classes (dashed, hollow arrow)
and the object properties that the SHACL shapes (``ontology/shapes.ttl``) require or allow between two
classes of the model (``sh:path`` with ``sh:class``). The ontology itself declares no ``rdfs:domain``: the
shapes are where a property's use by a class is stated.

Regenerate the committed files with::

    python -m graph.vocab.ontology_doc docs/ontology
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from graph.config import PROJECT_ROOT
from graph.vocab.namespaces import PM, PREFIXES

__all__ = ["ONTOLOGY", "SHAPES", "load", "Usage", "usages", "markdown", "dot", "svg", "write", "DIAGRAM_CLASSES"]

ONTOLOGY = PROJECT_ROOT / "ontology" / "passe-muraille.ttl"
SHAPES = PROJECT_ROOT / "ontology" / "shapes.ttl"

DIAGRAM_CLASSES: dict[str, tuple[int, int]] = {
    # class local name → (column, row) on the diagram grid
    "JargonSense": (0, 0), "ServiceType": (1, 0), "Sector": (2, 0), "Function": (3, 0), "Source": (4, 0),
    "Referral": (0, 1), "Agreement": (1, 1), "Actor": (2, 1), "Post": (3, 1), "Territory": (4, 1),
    "Organisation": (0, 2), "Service": (1, 2), "Authority": (2, 2), "Collective": (3, 2), "Membership": (4, 2),
    "Platform": (1, 3), "Network": (2, 3), "Project": (3, 3), "Programme": (4, 3),
}
"""The classes drawn on the diagram and where (the fixed-value schemes are listed, not drawn)."""


def load(ontology: Path | str = ONTOLOGY, shapes: Path | str | None = SHAPES) -> Graph:
    """The ontology (and its SHACL shapes, if given) as one rdflib graph."""
    graph = Graph()
    graph.parse(ontology, format="turtle")
    if shapes is not None:
        graph.parse(shapes, format="turtle")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def _qname(graph: Graph, term) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term) if isinstance(term, URIRef) else str(term)
    except Exception:  # noqa: BLE001 - an IRI rdflib cannot abbreviate is shown whole
        return f"<{term}>"


def _text(graph: Graph, subject, predicate, lang: str) -> str:
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    for value in values:
        if value.language == lang:
            return str(value)
    return str(values[0]) if values and lang == "fr" and values[0].language is None else ""


def _local(term) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class Usage:
    """One property as a SHACL shape uses it on a class: cardinality and expected values."""

    cls: URIRef
    path: URIRef
    min_count: int | None = None
    max_count: int | None = None
    classes: list[URIRef] = field(default_factory=list)
    datatypes: list[URIRef] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


def _alternatives(graph: Graph, shape, predicate) -> list:
    found = list(graph.objects(shape, predicate))
    for alternative_list in graph.objects(shape, SH["or"]):
        for member in Collection(graph, alternative_list):
            found.extend(graph.objects(member, predicate))
    return found


def usages(graph: Graph) -> list[Usage]:
    """Every (class, property) pair that a node shape with ``sh:targetClass`` constrains, in a stable order."""
    found: dict[tuple, Usage] = {}
    for shape in graph.subjects(RDF.type, SH.NodeShape):
        targets = [t for t in graph.objects(shape, SH.targetClass) if isinstance(t, URIRef)]
        for prop_shape in graph.objects(shape, SH.property):
            path = graph.value(prop_shape, SH.path)
            if not isinstance(path, URIRef):
                continue
            for cls in targets:
                usage = found.setdefault((cls, path), Usage(cls, path))
                lo, hi = graph.value(prop_shape, SH.minCount), graph.value(prop_shape, SH.maxCount)
                if lo is not None:
                    usage.min_count = max(usage.min_count or 0, int(lo))
                if hi is not None:
                    usage.max_count = int(hi) if usage.max_count is None else min(usage.max_count, int(hi))
                for value in _alternatives(graph, prop_shape, SH["class"]):
                    if isinstance(value, URIRef) and value not in usage.classes:
                        usage.classes.append(value)
                for value in _alternatives(graph, prop_shape, SH.datatype):
                    if isinstance(value, URIRef) and value not in usage.datatypes:
                        usage.datatypes.append(value)
                for listed in graph.objects(prop_shape, SH["in"]):
                    if isinstance(listed, BNode):
                        usage.values.extend(str(v) for v in Collection(graph, listed))
    return sorted(found.values(), key=lambda u: (str(u.cls), str(u.path)))


def _pm_terms(graph: Graph, kind) -> list[URIRef]:
    return sorted({s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(str(PM))},
                  key=str)


def _cardinality(usage: Usage) -> str:
    lo = usage.min_count or 0
    hi = "n" if usage.max_count is None else str(usage.max_count)
    return f"{lo}..{hi}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown(graph: Graph | None = None) -> str:
    """The reference of the vocabulary as Markdown (French, with the English labels)."""
    g = graph if graph is not None else load()
    q = lambda term: _qname(g, term)  # noqa: E731
    ontology = next(iter(g.subjects(RDF.type, OWL.Ontology)), None)
    out = ["# Ontologie Passe-muraille", ""]
    if ontology is not None:
        out += [f"*{_text(g, ontology, RDFS.comment, 'fr')}*", "",
                f"> **In English.** {_text(g, ontology, RDFS.comment, 'en')}", "",
                "| | |", "|---|---|",
                f"| IRI | `{ontology}` |",
                f"| espace de noms | `{PM}` (préfixe `pm:`) |",
                f"| version | {g.value(ontology, OWL.versionInfo) or ''} |",
                f"| licence | {g.value(ontology, URIRef('http://purl.org/dc/terms/license')) or ''} |",
                "| source | `ontology/passe-muraille.ttl` (vocabulaire), `ontology/shapes.ttl` (formes SHACL) |", ""]
    out += ["Le vocabulaire réutilise SKOS (jargon et classifications), W3C ORG (organisations, postes, "
            "participations), PROV-O (provenance), Dublin Core (sources, dates, territoires) et schema.org ; il "
            "n'ajoute que ce qu'aucun ne dit. Chaque entité des données porte `prov:wasDerivedFrom` (sa source), "
            "`pm:fromTable` et `pm:fromRow` (sa ligne de `data/`).", "",
            "## Diagramme", "",
            "![Diagramme des classes : sous-classes en tirets, propriétés entre classes en traits pleins]"
            "(/ontologie/modele.svg)", "",
            "Sous-classes en tirets (flèche creuse) ; en traits pleins, les propriétés que les formes SHACL "
            "attendent entre deux classes. Le même diagramme en Graphviz : [modele.dot](/ontologie/modele.dot) ; "
            "le vocabulaire en Turtle : [passe-muraille.ttl](/ontologie/passe-muraille.ttl).", ""]
    uses = usages(g)
    by_class: dict[URIRef, list[Usage]] = {}
    for usage in uses:
        by_class.setdefault(usage.cls, []).append(usage)
    out += ["## Classes", ""]
    schemes_classes = set()
    for cls in _pm_terms(g, OWL.Class):
        supers = ", ".join(f"`{q(s)}`" for s in sorted(g.objects(cls, RDFS.subClassOf), key=str))
        out += [f"### `{q(cls)}` — {_text(g, cls, RDFS.label, 'fr')} / *{_text(g, cls, RDFS.label, 'en')}*", ""]
        if supers:
            out += [f"Sous-classe de {supers}.", ""]
        comment_fr, comment_en = _text(g, cls, RDFS.comment, "fr"), _text(g, cls, RDFS.comment, "en")
        if comment_fr:
            out += [comment_fr, ""]
        if comment_en:
            out += [f"*{comment_en}*", ""]
        if (SKOS.Concept in set(g.objects(cls, RDFS.subClassOf))) and not by_class.get(cls):
            schemes_classes.add(cls)
        if by_class.get(cls):
            out += ["| propriété | nombre | valeurs |", "|---|---|---|"]
            for usage in by_class[cls]:
                values = [f"`{q(c)}`" for c in usage.classes] + [f"`{q(d)}`" for d in usage.datatypes]
                values += [f"`{v}`" for v in usage.values]
                out.append(f"| `{q(usage.path)}` | {_cardinality(usage)} | {', '.join(values) or '—'} |")
            out.append("")
    out += ["## Propriétés", "", "| propriété | genre | libellés | portée | définition |", "|---|---|---|---|---|"]
    kinds = {OWL.ObjectProperty: "objet", OWL.DatatypeProperty: "valeur", OWL.AnnotationProperty: "annotation"}
    props = sorted({p for kind in kinds for p in _pm_terms(g, kind)}, key=str)
    for prop in props:
        kind = next((label for k, label in kinds.items() if (prop, RDF.type, k) in g), "")
        ranges = [f"`{q(r)}`" for r in g.objects(prop, RDFS.range)]
        ranges += [f"⊂ `{q(s)}`" for s in g.objects(prop, RDFS.subPropertyOf)]
        labels = f"{_text(g, prop, RDFS.label, 'fr')} / *{_text(g, prop, RDFS.label, 'en')}*"
        comment = _text(g, prop, RDFS.comment, "fr")
        out.append(f"| `{q(prop)}` | {kind} | {_cell(labels)} | {' '.join(ranges) or '—'} | {_cell(comment)} |")
    out += ["", "## Schémas de concepts", "",
            "Les secteurs, types de service, fonctions et sens de jargon viennent des tables de `data/` ; les "
            "valeurs fixes ci-dessous sont déclarées dans l'ontologie.", ""]
    for scheme in _pm_terms(g, SKOS.ConceptScheme):
        out += [f"### `{q(scheme)}` — {_text(g, scheme, RDFS.label, 'fr')} / *{_text(g, scheme, RDFS.label, 'en')}*",
                ""]
        comment = _text(g, scheme, RDFS.comment, "fr")
        if comment:
            out += [comment, ""]
        concepts = sorted(g.subjects(SKOS.inScheme, scheme), key=str)
        if concepts:
            out += ["| concept | notation | libellé (fr) | label (en) | définition |", "|---|---|---|---|---|"]
            for concept in concepts:
                out.append(f"| `{q(concept)}` | `{g.value(concept, SKOS.notation) or ''}` | "
                           f"{_cell(_text(g, concept, SKOS.prefLabel, 'fr'))} | "
                           f"{_cell(_text(g, concept, SKOS.prefLabel, 'en'))} | "
                           f"{_cell(_text(g, concept, SKOS.definition, 'fr'))} |")
            out.append("")
        else:
            out += ["*Concepts tirés des tables de `data/`.*", ""]
    return "\n".join(out).rstrip() + "\n"


def _edges(g: Graph) -> list[tuple[str, str, str, str]]:
    """Diagram edges ``(from, to, label, kind)`` between drawn classes; kind ``sub`` or ``prop``."""
    drawn = {PM[name] for name in DIAGRAM_CLASSES}
    edges = set()
    for cls in drawn:
        for parent in g.objects(cls, RDFS.subClassOf):
            if parent in drawn:
                edges.add((_local(cls), _local(parent), "", "sub"))
    for usage in usages(g):
        if usage.cls not in drawn or usage.path == URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"):
            continue
        for target in usage.classes:
            if target in drawn and target != usage.cls:
                edges.add((_local(usage.cls), _local(target), _qname(g, usage.path), "prop"))
    return sorted(edges)


def dot(graph: Graph | None = None) -> str:
    """The class diagram as Graphviz DOT text."""
    g = graph if graph is not None else load()
    lines = ["digraph passe_muraille {", '  rankdir=LR; node [shape=box, style="rounded,filled", fillcolor="#eef4fa",'
             ' fontname="sans-serif"]; edge [fontname="sans-serif", fontsize=9];',
             '  "Source" [fillcolor="#fdf2e9"]; // every entity: prov:wasDerivedFrom → Source']
    for name in DIAGRAM_CLASSES:
        label = _text(g, PM[name], RDFS.label, "fr") or name
        lines.append(f'  "{name}" [label="pm:{name}\\n{label}"];')
    for source, target, label, kind in _edges(g):
        if kind == "sub":
            lines.append(f'  "{source}" -> "{target}" [style=dashed, arrowhead=empty];')
        else:
            lines.append(f'  "{source}" -> "{target}" [label="{label}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


BOX_W, BOX_H, COL_W, ROW_H, MARGIN = 170, 46, 270, 150, 30


def svg(graph: Graph | None = None) -> str:
    """The class diagram as a self-contained SVG (text escaped, no script, no external reference).

    Only a ``viewBox``, no ``width``/``height``: the image takes the width of the page it sits in.
    """
    g = graph if graph is not None else load()
    centre = {name: (MARGIN + col * COL_W + BOX_W / 2, MARGIN + 20 + row * ROW_H + BOX_H / 2)
              for name, (col, row) in DIAGRAM_CLASSES.items()}
    width = MARGIN * 2 + 4 * COL_W + BOX_W
    height = MARGIN * 2 + 20 + 3 * ROW_H + BOX_H + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" font-family="sans-serif" '
             'role="img" '
             f'aria-label="Diagramme des classes de l\'ontologie Passe-muraille">',
             "<defs>"
             '<marker id="prop" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#2e4053"/></marker>'
             '<marker id="sub" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="white" stroke="#7f8c8d"/></marker>'
             "</defs>",
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{MARGIN}" y="{MARGIN}" font-size="14" font-weight="bold">Ontologie Passe-muraille — '
             "classes et liens</text>"]

    def clip(x1, y1, x2, y2):
        """The point where the segment from the centre (x1, y1) towards (x2, y2) leaves the box."""
        dx, dy = x2 - x1, y2 - y1
        if dx == 0 and dy == 0:
            return x1, y1
        inf = float("inf")
        scale = min((BOX_W / 2 + 2) / abs(dx) if dx else inf, (BOX_H / 2 + 2) / abs(dy) if dy else inf)
        return x1 + dx * scale, y1 + dy * scale

    def crossings(points, ends) -> tuple[int, int]:
        """(samples outside the drawing area, other boxes the samples fall in)."""
        outside = sum(not (4 < x < width - 4 and MARGIN + 8 < y < height - 30) for x, y in points)
        boxes = sum(any(abs(x - cx) < BOX_W / 2 + 6 and abs(y - cy) < BOX_H / 2 + 6 for x, y in points)
                    for name, (cx, cy) in centre.items() if name not in ends)
        return outside, boxes

    def bezier(a, c, b, t):
        return ((1 - t) ** 2 * a[0] + 2 * (1 - t) * t * c[0] + t * t * b[0],
                (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * c[1] + t * t * b[1])

    used_labels: list[tuple[float, float]] = []
    for source, target, label, kind in _edges(g):
        a, b = centre[source], centre[target]
        length = max(((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5, 1)
        nx_, ny_ = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        offsets = [0] + [sign * step for step in (40, 80, 120, 170, 230) for sign in (1, -1)]
        best = None
        for offset in offsets:   # the gentlest curve that passes no other box (straight when possible)
            control = (mid[0] + nx_ * offset * 2, mid[1] + ny_ * offset * 2)
            samples = [bezier(a, control, b, t / 24) for t in range(3, 22)]
            score = (*crossings(samples, {source, target}), abs(offset))
            if best is None or score < best[0]:
                best = (score, offset, control)
        _, offset, control = best
        start, end = clip(*a, *control) if offset else clip(*a, *b), clip(*b, *control) if offset else clip(*b, *a)
        path = f"M{start[0]:.1f},{start[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} {end[0]:.1f},{end[1]:.1f}"
        if kind == "sub":
            parts.append(f'<path d="{path}" fill="none" stroke="#7f8c8d" stroke-dasharray="5,4" '
                         'marker-end="url(#sub)"/>')
            continue
        parts.append(f'<path d="{path}" fill="none" stroke="#2e4053" stroke-width="1.1" marker-end="url(#prop)"/>')
        lx, ly = bezier(start, control, end, 0.5)
        while any(abs(lx - ux) < 60 and abs(ly - uy) < 10 for ux, uy in used_labels):
            ly += 11
        used_labels.append((lx, ly))
        parts.append(f'<text x="{lx:.1f}" y="{ly + 3:.1f}" font-size="9.5" fill="#1a5276" text-anchor="middle" '
                     f'paint-order="stroke" stroke="white" stroke-width="3">{escape(label)}</text>')
    for name, (cx, cy) in centre.items():
        fill = "#fdf2e9" if name == "Source" else "#eef4fa"
        label = _text(g, PM[name], RDFS.label, "fr") or name
        parts.append(f'<rect x="{cx - BOX_W / 2:.1f}" y="{cy - BOX_H / 2:.1f}" width="{BOX_W}" height="{BOX_H}" '
                     f'rx="8" fill="{fill}" stroke="#2e4053"/>')
        parts.append(f'<text x="{cx:.1f}" y="{cy - 3:.1f}" font-size="12" font-weight="bold" text-anchor="middle">'
                     f"pm:{escape(name)}</text>")
        parts.append(f'<text x="{cx:.1f}" y="{cy + 13:.1f}" font-size="10.5" text-anchor="middle" fill="#555">'
                     f"{escape(label)}</text>")
    parts.append(f'<text x="{MARGIN}" y="{height - 14}" font-size="10" fill="#555">Tirets : sous-classe de. '
                 "Traits pleins : propriété attendue par les formes SHACL. Chaque entité cite sa source "
                 "(prov:wasDerivedFrom → pm:Source).</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write(out_dir: Path | str) -> list[Path]:
    """Write ``index.md``, ``modele.dot`` and ``modele.svg`` into ``out_dir``; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    graph = load()
    files = {"index.md": markdown(graph), "modele.dot": dot(graph), "modele.svg": svg(graph)}
    written = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintenance entry point
    for path in write(sys.argv[1] if len(sys.argv) > 1 else PROJECT_ROOT / "docs" / "ontology"):
        print(path)
