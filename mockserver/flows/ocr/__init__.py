"""OCR: the identity card endpoints (views) and every other document endpoint (document_views).
May import ``pipeline`` and below; reads ``generation`` for what each document says."""
