"""France: child-protection entry points of the départements 35 (Ille-et-Vilaine) and 59 (Nord) and national bodies.

Input: ``data/raw/fr/`` — tab-separated harvest logs written while reading public pages (their ``#`` header
lines say where and when): ``sources.tsv`` (one row per page read), ``actors.tsv`` (Département du Nord, ASE,
CRIP, PMI, UTPAS, MDPH 35 and 59, a CDAS, maisons des adolescents, PJJ, 119/SNATED, ONPE, France Enfance
Protégée) and ``service_types.tsv``. Output: ``sources.fr-directory`` (not ``sources.fr``), ``actors.fr``,
``service_types.fr``.

Every web source gets ``kind=web`` and ``seen_on`` = the harvest date of the header; every actor gets
``verified`` = that date and ``review_due`` six months later; an actor's ``address`` (never a phone number or an
e-mail address) is appended to its description.
"""

from __future__ import annotations

from pathlib import Path

from .harvest_log import harvest_log_rows

NAME = "fr"
DESCRIPTION = ("France départements 35 and 59 and national child-protection bodies (data/raw/fr/*.tsv) "
               "→ actors.fr, sources.fr-directory, service_types.fr")


def rows(raw_dir: Path) -> dict[str, list[dict]]:
    """The parts of the harvest log ``data/raw/fr/`` (:func:`graph.importers.harvest_log.harvest_log_rows`)."""
    return harvest_log_rows(raw_dir, "fr", "fr-directory")
