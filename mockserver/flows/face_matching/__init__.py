"""Face Matching: a card and a portrait compared, with the warning codes of the flow.
May import ``pipeline`` and below."""
