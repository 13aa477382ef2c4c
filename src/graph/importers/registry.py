"""The importers the ``passe-muraille import`` command knows, by name (explicit imports, no discovery)."""

from __future__ import annotations

IMPORTERS: dict = {}
"""name -> importer module (``NAME``, ``DESCRIPTION``, ``rows(raw_dir)``)."""


def register(module) -> None:
    """Make ``module`` runnable as ``passe-muraille import <module.NAME>``."""
    if module.NAME in IMPORTERS:
        raise ValueError(f"two importers are named {module.NAME}")
    IMPORTERS[module.NAME] = module


# importers: two lines each, an import of the module then register(<module>)
from . import glossary_lists  # noqa: E402

register(glossary_lists)
from . import be_social  # noqa: E402

register(be_social)
from . import be_cpms  # noqa: E402

register(be_cpms)
from . import vlg  # noqa: E402

register(vlg)
from . import fwb_aaj  # noqa: E402

register(fwb_aaj)
from . import ch  # noqa: E402

register(ch)
from . import fr  # noqa: E402

register(fr)
