"""Network analytics on the knowledge graph: brokers, gaps, counterparts and referral paths.

One metric per module, in the style of networkx's ``algorithms/`` (docstring with definition, formula,
parameters, returns, references and a runnable example):

* :mod:`.projection` — store → networkx (actor graph, service-type graph, bipartite actor–platform graph),
  cached per store version;
* brokers: :mod:`.betweenness`, :mod:`.constraint` (Burt's constraint and effective size),
  :mod:`.cutpoints` (articulation points, bridges), :mod:`.brokerage` (Gould–Fernandez),
  :mod:`.ranking` (« who are the passe-murailles here? »);
* gaps: :mod:`.mixing` (sector × sector matrix, E-I index), :mod:`.coverage`, :mod:`.suggestions`
  (cross-sector Adamic–Adar), :mod:`.communities` (Louvain vs sectors), :mod:`.gaps` (the report);
* :mod:`.counterparts`, :mod:`.referral_paths`, :mod:`.export` (GraphML, GEXF).
"""

from .projection import Projection, clear_cache, project

__all__ = ["Projection", "project", "clear_cache"]
