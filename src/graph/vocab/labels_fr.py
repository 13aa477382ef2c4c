"""The French words the pages and the research tables use for the schema's enum values (one definition)."""

from __future__ import annotations

__all__ = ["MANDATE_LABELS", "KIND_LABELS", "STATUS_LABELS", "CONDITION_LABELS", "LANG_LABELS"]

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
