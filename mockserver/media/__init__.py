"""What a request's bytes are: images and PDFs decoded and bounded, scenario metadata read.
May import ``mockserver.contract`` and ``mockserver.exceptions``; knows nothing of Flask."""
