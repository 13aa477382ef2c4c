"""Flanders: youth-care entry points (OCJ, VK, CAW/JAC, CLB networks, intersectoral access gate, Huizen van het Kind).

Input: ``data/raw/vlg/`` — tab-separated harvest logs written while reading public pages (their ``#`` header
lines say where and when): ``sources.tsv`` (one row per page read), ``actors.tsv``, ``service_types.tsv`` and
``territories.tsv`` (an extract of Statbel REFNIS). Output: ``sources.vlg``, ``actors.vlg``,
``service_types.vlg``, ``territories.vlg``.

Every web source gets ``kind=web`` and ``seen_on`` = the harvest date of the header; every actor gets
``verified`` = that date and ``review_due`` six months later; an actor's ``address`` (never a phone number or an
e-mail address) is appended to its description. Labels are the Dutch names; descriptions are in French.
"""

from __future__ import annotations

from pathlib import Path

from .harvest_log import harvest_log_rows

NAME = "vlg"
DESCRIPTION = "Flanders youth-care entry points (data/raw/vlg/*.tsv) → actors/sources/service_types/territories.vlg"


def rows(raw_dir: Path) -> dict[str, list[dict]]:
    """The parts of the harvest log ``data/raw/vlg/`` (:func:`graph.importers.harvest_log.harvest_log_rows`)."""
    return harvest_log_rows(raw_dir, "vlg", "vlg")
