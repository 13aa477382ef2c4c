"""SPARQL: the read-only guard, TSV results, the worker processes of the public endpoint."""
