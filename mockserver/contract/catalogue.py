"""The error catalogue as the fake uses it: codes by meaning, messages, envelopes, billing."""

from __future__ import annotations

from typing import Any

from mockserver.contract.loading import Contract

# The vendor numbers the same meanings differently per flow (OCR 5 = key, Face Search 4 = key),
# so code picks a meaning by its message and the catalogue supplies the number.
MEANINGS = {
    "Success": "success",
    "The photo does not contain content": "no_content",
    "Url is unavailable": "url_unavailable",
    "Incorrect image format": "bad_image",
    "Out of requests": "quota",
    "Incorrect Api_key or api_secret": "auth",
    "Incorrect format type": "format_type",
    "Error when processing the request": "processing",
    "Incorrect Id": "incorrect_id",
}
FLOWS = ("ocr", "face_matching", "liveness", "face_search", "smart_crop")


class Catalogue:
    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.flows = contract.catalogue["flows"]
        self.http_errors = contract.catalogue["http_errors"]
        self._by_meaning = {(flow, MEANINGS[e["message"]]): e for flow in FLOWS for e in self.flows[flow]["errors"]}
        self._warnings = {
            (flow, int(w["code"])): (w["code"], str(w["message"]))
            for flow in FLOWS
            for w in self.flows[flow].get("warnings", {}).get("codes", [])
        }

    def code_field(self, flow: str) -> str:
        return str(self.flows[flow]["code_field"])

    def entry(self, flow: str, meaning: str) -> dict[str, Any]:
        """The catalogue entry for a meaning; flows without it fall back to a processing error."""
        found = self._by_meaning.get((flow, meaning))
        if found is None:
            found = self._by_meaning.get((flow, "processing")) or self._by_meaning[(flow, "format_type")]
        return dict(found)

    def entry_by_code(self, flow: str, code: Any) -> dict[str, Any] | None:
        for e in self.flows[flow]["errors"]:
            if str(e["code"]) == str(code):
                return dict(e)
        return None

    def message(self, entry: dict[str, Any]) -> str:
        return str(entry["message"])  # the docs' misprints are a dialect (messages=verbatim)

    def warning(self, flow: str, code: int) -> tuple[Any, str]:
        """(code as the flow types it, message) for a warning number."""
        found = self._warnings.get((flow, int(code)))
        if found is None:
            raise KeyError(f"{flow} has no warning {code}")
        return found

    def error_body(self, flow: str, entry: dict[str, Any]) -> dict[str, Any]:
        """The documented envelope of a non-success answer."""
        f = self.flows[flow]
        body: dict[str, Any] = {f["code_field"]: entry["code"], f["message_field"]: self.message(entry)}
        if flow == "face_search":
            body = {"result": None, **body}
        return body

    def success_fields(self, flow: str) -> dict[str, Any]:
        return self.error_body(flow, self.entry(flow, "success"))

    def http_error_entry(self, flow: str, kind: str) -> tuple[int, dict[str, Any]]:
        spec = self.http_errors[kind]
        entry = self.entry_by_code(flow, spec["codes"][flow])
        assert entry is not None, f"errors.json http_errors.{kind} names an unknown {flow} code"
        return int(spec["http_status"]), entry

    def is_billable(self, flow: str, body: Any) -> bool:
        """Billable iff the flow's code field is zero (errorCode, or status_code for Face Search)."""
        if not isinstance(body, dict):
            return False
        return str(body.get(self.code_field(flow))) == "0"


def data_items(body: Any) -> list[dict[str, Any]]:
    """The objects of an answer's ``data``: the one object, or each object of the list."""
    data = body.get("data") if isinstance(body, dict) else None
    return [item for item in (data if isinstance(data, list) else [data]) if isinstance(item, dict)]


def flow_of_path(path: str) -> str:
    """Which flow's envelope an answer on this path uses."""
    if path.startswith("/api/v2/ekyc/face_matching"):
        return "face_matching"
    if path.startswith("/api/v2/ekyc/verify_liveness"):
        return "liveness"
    if path.startswith("/api/v2/face_search"):
        return "face_search"
    if path.startswith("/api/v2/smartcrop"):
        return "smart_crop"
    return "ocr"
