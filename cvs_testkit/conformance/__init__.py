"""Conformance runner: check any server that claims to be the CVS API v2 against the contract."""

from __future__ import annotations

from .probes import Samples
from .runner import Report, Runner
from .senders import HttpSender, Unreachable, WsgiSender

__all__ = ["HttpSender", "Report", "Runner", "Samples", "Unreachable", "WsgiSender"]
