"""Publishing: exports (RDF, CSV, GEXF/GraphML), Open Referral HSDS, network maps."""
