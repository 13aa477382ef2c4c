"""Importers: re-runnable scripts that turn harvested public lists (``data/raw/``) into table parts.

Each importer is a module of this package with ``NAME``, ``DESCRIPTION`` and
``rows(raw_dir: Path) -> dict[str, list[dict]]`` (target part, e.g. ``"actors.fwb-amo"``, to its rows);
:func:`graph.importers.common.run_importer` writes the parts only if the whole data directory still
validates, and reports what changed since the last run. The CSV tables stay the reviewed source of truth.
"""
