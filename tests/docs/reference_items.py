"""What the reference page must name: every option of every subcommand of both commands, and
every admin route."""

from __future__ import annotations

import argparse
import re


def command_options() -> dict[str, list[str]]:
    """``{"cvs-mock serve": ["--host", ...], ...}`` read from the parsers themselves."""
    from cvs_testkit import cli as toolkit_cli
    from mockserver import cli as fake_cli

    found: dict[str, list[str]] = {}
    for command, module in (("cvs-mock", fake_cli), ("cvs-testkit", toolkit_cli)):
        for action in module.build_parser()._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    options = {o for a in sub._actions for o in a.option_strings if o.startswith("--")}
                    found[f"{command} {name}"] = sorted(options - {"--help"})
    return found


def admin_routes() -> list[str]:
    """``GET /__mock__/journal``-style names of every admin and dashboard route."""
    from mockserver import create_app

    routes = set()
    for rule in create_app({"TESTING": True}).url_map.iter_rules():
        if rule.rule.startswith("/__mock__"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                routes.add(f"{method} {path}")
    return sorted(routes)
