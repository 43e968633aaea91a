"""The flows' views (OCR, Face Matching, Liveness, Face Search, Smart Crop), one subpackage
each: decode, decide, answer with a body. May import ``pipeline`` and every layer below it; one
flow never imports another."""
