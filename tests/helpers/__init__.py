"""Helpers the suite's folders share: starting real components, skipping or failing without them."""
