"""The ``passe-muraille`` command line: one module per command group, registered by explicit imports."""
