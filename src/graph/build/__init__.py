"""The build: tables read and checked, rows mapped to triples, SHACL validation, the pipeline that ties them."""
