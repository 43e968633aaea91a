"""Everything a fake owns and changes: the store (keys, usage, files, galleries) and its backends,
the journal, queued outcomes. May import ``recording``, ``generation``, ``media``, ``contract``."""
