"""The French words the pages and the research tables use for the schema's enum values, and French numbers
(one definition)."""

from __future__ import annotations

import math

__all__ = ["MANDATE_LABELS", "KIND_LABELS", "STATUS_LABELS", "CONDITION_LABELS", "LANG_LABELS", "decimal_fr"]

MANDATE_LABELS = {"none": "sans mandat", "administrative": "mandat administratif (aide consentie)",
                  "judicial": "mandat judiciaire (aide contrainte)", "legal_mission": "autre mission légale"}
KIND_LABELS = {"organisation": "organisation", "service": "service", "authority": "autorité",
               "platform": "plateforme", "network": "réseau", "project": "projet", "programme": "programme",
               "post": "poste"}
STATUS_LABELS = {"current": "en vigueur", "revised": "révisé", "superseded": "remplacé", "obsolete": "obsolète",
                 "never_applied": "jamais appliqué", "draft": "en projet", "unknown": "statut inconnu"}
CONDITION_LABELS = {"need": "besoin", "consent": "consentement", "mandate": "mandat", "age": "âge",
                    "none": "aucune condition"}
LANG_LABELS = {"fr": "français", "nl": "néerlandais", "en": "anglais", "de": "allemand"}


def decimal_fr(value: float | None, digits: int = 3, significant: bool = False) -> str:
    """``value`` with a decimal comma: ``digits`` decimals (two significant digits when it is smaller than the last
    decimal shown: 0,00047, not 0,000), or ``digits`` significant digits (``significant``); « — » for nothing."""
    if value is None:
        return "—"
    if significant:
        return f"{value:.{digits}g}".replace(".", ",")
    if value and abs(value) < 10 ** -digits:
        digits = min(12, 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{digits}f}".replace(".", ",")
