"""``POST /__mock__/images``: the scenario images of ``cvs_testkit.images`` for any language.

The body names a ``kind`` and the parameters of the Python maker of that kind, with the same
checks (a bad parameter is a 400 naming it). The answer is the image itself (PNG, JPEG by
``format``, a PDF), three base64 shots for ``liveness_shots``, or with ``"host": true`` a
hosted URL to send in url mode. It bills nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from mockserver.generation import scenario_images as make

# kind -> (maker, the body's names for the maker's parameters where they differ)
KINDS: dict[str, tuple[Callable[..., Any], dict[str, str]]] = {
    "id_card": (make.id_card, {}),
    "portrait": (make.portrait, {"person": "identity"}),
    "liveness_shots": (make.liveness_shots, {"person": "identity"}),
    "scenario_image": (make.scenario_image, {}),
    "pdf": (make.pdf, {"documents": "pages"}),
    "no_document": (make.no_document, {}),
    "no_face": (make.no_face, {}),
    "blank": (make.blank_image, {}),
    "corrupt": (make.corrupt_image, {}),
}
SHOT_SIDES = ("left", "mid", "right")


class ImageRequestError(ValueError):
    """What is wrong with an image request, said as the 400 answer says it."""


def made(body: dict[str, Any]) -> tuple[bytes | dict[str, bytes], str]:
    """(the image or the three liveness shots, its media type) for a request body."""
    spec = {name: value for name, value in body.items() if name != "host"}
    kind = spec.pop("kind", None)
    if kind not in KINDS:
        raise ImageRequestError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    maker, renamed = KINDS[kind]
    unknown = sorted(set(spec) - _names(kind))
    if unknown:
        raise ImageRequestError(f"{kind} takes no {', '.join(unknown)}; it takes {', '.join(sorted(_names(kind)))}")
    arguments = {renamed.get(name, name): value for name, value in spec.items()}
    if kind == "id_card":
        fields = arguments.pop("fields", None) or {}
        if not isinstance(fields, dict):
            raise ImageRequestError("id_card: fields is an object of the card's fields")
        arguments.update(fields)  # the card's fields are keywords of id_card
    if kind == "liveness_shots":
        for side in SHOT_SIDES:  # a replaced shot is itself an image request
            if isinstance(arguments.get(side), dict):
                arguments[side] = made(arguments[side])[0]
    if kind == "scenario_image" and isinstance(arguments.get("size"), list):
        arguments["size"] = tuple(arguments["size"])
    try:
        image = maker(**arguments)
    except (ValueError, TypeError, KeyError) as exc:
        raise ImageRequestError(f"{kind}: {exc}") from None
    return image, _media_type(kind, arguments.get("format", "PNG"))


def _names(kind: str) -> set[str]:
    """The body's parameter names for ``kind``: its maker's, renamed as the body spells them."""
    maker, renamed = KINDS[kind]
    spelled = {value: name for name, value in renamed.items()}
    parameters = inspect.signature(maker).parameters
    names = {spelled.get(n, n) for n, p in parameters.items() if p.kind is not inspect.Parameter.VAR_KEYWORD}
    if kind == "id_card":
        names.add("fields")
    if kind == "liveness_shots":
        names |= {*SHOT_SIDES, "spoof", "liveness_warning", "format"}
    return names


def _media_type(kind: str, form: Any) -> str:
    if kind == "pdf":
        return "application/pdf"
    return "image/jpeg" if str(form).upper() == "JPEG" else "image/png"
