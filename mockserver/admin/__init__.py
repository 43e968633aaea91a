"""``/__mock__/``: the admin API, the dashboard, and the loopback guard both stand behind.
May import ``pipeline`` and below; no flow imports it."""
