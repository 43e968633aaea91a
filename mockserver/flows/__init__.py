"""The four flows' views, one subpackage each: decode, decide, answer with a body. May import
``pipeline`` and every layer below it; one flow never imports another."""
