"""Suisse romande: cantonal child-protection services and child and adult protection authorities (APEA).

Input: ``data/raw/ch/`` — tab-separated harvest logs written while reading public pages (their ``#`` header
lines say where and when): ``sources.tsv`` (one row per page read), ``actors.tsv`` (VD, GE, FR, NE, VS, JU,
Jura bernois and Bienne), ``service_types.tsv`` and ``territories.tsv`` (cantons as named by the sources).
Output: ``sources.ch``, ``actors.ch``, ``service_types.ch``, ``territories.ch``.

Every web source gets ``kind=web`` and ``seen_on`` = the harvest date of the header; every actor gets
``verified`` = that date and ``review_due`` six months later; an actor's ``address`` (never a phone number or an
e-mail address) is appended to its description. Names are the official French names.
"""

from __future__ import annotations

from pathlib import Path

from .harvest_log import harvest_log_rows

NAME = "ch"
DESCRIPTION = ("Suisse romande child protection services and APEA (data/raw/ch/*.tsv) "
               "→ actors/sources/service_types/territories.ch")


def rows(raw_dir: Path) -> dict[str, list[dict]]:
    """The parts of the harvest log ``data/raw/ch/`` (:func:`graph.importers.harvest_log.harvest_log_rows`)."""
    return harvest_log_rows(raw_dir, "ch", "ch")
