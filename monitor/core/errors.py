"""Errors shared across layers."""

from __future__ import annotations


class StorageError(Exception):
    """Storage could not be read or written (disk full, corrupt or newer file...)."""
