"""Smart Crop: crops served back as hosted files of the requested size.
May import ``pipeline`` and below."""
