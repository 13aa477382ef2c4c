"""The one error of the store layer."""


class StoreError(Exception):
    """The store cannot be opened, written or queried."""
