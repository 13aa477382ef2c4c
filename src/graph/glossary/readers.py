"""Read a document into plain text: ``.txt``, ``.md``, ``.pdf`` (pypdf), ``.docx`` (python-docx), or ``-``.

Offsets reported by extraction, decoding and ingestion are offsets in the text returned here.
PDF pages are separated by a blank line; DOCX paragraphs by a line break, tables row by row.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Document", "read_document", "ReadError", "SUPPORTED"]

SUPPORTED = (".txt", ".md", ".markdown", ".text", ".pdf", ".docx")


class ReadError(Exception):
    """The document cannot be read (missing, unsupported or damaged)."""


@dataclass(frozen=True)
class Document:
    name: str
    kind: str
    text: str


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")  # pragma: no cover - latin-1 never fails


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as err:
        raise ReadError(f"cannot read the PDF: {err}") from err


def _docx(data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, ValueError, KeyError) as err:
        raise ReadError(f"cannot read the DOCX: {err}") from err
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """The text of ``path`` (``-`` reads standard input as UTF-8 text)."""
    name = str(path)
    if name == "-" and data is None:
        return Document("-", "text", sys.stdin.read())
    suffix = Path(name).suffix.lower()
    if data is None:
        try:
            data = Path(name).read_bytes()
        except OSError as err:
            raise ReadError(f"cannot read {name}: {err.strerror or err}") from err
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return Document(name, "pdf", _pdf(data))
    if suffix == ".docx":
        return Document(name, "docx", _docx(data))
    if suffix in (".md", ".markdown"):
        return Document(name, "markdown", _decode(data))
    return Document(name, "text", _decode(data))
