"""Face Search: per-key galleries (add, list, update, delete, search) on ``state.store``.
May import ``pipeline`` and below."""
