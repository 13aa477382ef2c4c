"""The vocabulary: the table schema, RDF namespaces, the ontology and its documentation."""
