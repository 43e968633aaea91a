"""What the fake makes up, deterministically from a seed: people, places, cards, papers, faces
and each document type's fields. May import ``media``, ``contract`` and ``exceptions``."""
