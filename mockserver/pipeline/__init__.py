"""The path every API request passes once: the request record, auth, inputs, forced outcomes,
billing, faults, error envelopes, CORS and the self-check. May import ``state`` and below."""
