"""The OCR battery: the identity family's probes, and one probe per document endpoint named."""

from __future__ import annotations

from typing import Any

from .. import images
from .checks import Exchange
from .probe import UNREACHABLE, Check, Probe, Samples, b64, is_a, items, status_200


def _front_at_1(ex: Exchange) -> bool:
    data = (ex.body or {}).get("data") or []
    return len(data) == 2 and str(data[1].get("type", "")).endswith("_front")


def _dates_hyphenated(ex: Exchange) -> bool:
    import re

    dates = [i["info"].get("dob") for i in items(ex) if isinstance(i.get("info"), dict) and i["info"].get("dob")]
    return bool(dates) and all(re.fullmatch(r"\d{2}-\d{2}-\d{4}", str(d)) for d in dates)


def ocr_probes(s: Samples) -> list[Probe]:
    card_url = "/api/v2/ekyc/card"
    good_url = f"{card_url}?img=https://cdn.example.vn/the-cccd.jpg&format_type=url"
    schema = "ocr_ekyc_card_response.json"
    return [
        Probe(
            "ocr wrong secret",
            "ocr",
            "GET",
            good_url,
            schema,
            "auth",
            auth="wrong",
            assumptions={
                "D11": status_200,
                "D1": is_a("errorCode", str),
                "D2": lambda ex: ex.code == "5",
                "D41": lambda ex: "data" not in (ex.body or {}),
            },
        ),
        Probe("ocr missing Authorization", "ocr", "GET", good_url, schema, "auth", auth="none"),
        Probe(
            "ocr unknown path",
            "ocr",
            "GET",
            "/api/v2/ocr/khong-ton-tai?img=https://cdn.example.vn/a.jpg",
            "not_served.json",
            None,
            assumptions={
                "D44": lambda ex: ex.status == 404 and (ex.body or {}).get("path") == "/api/v2/ocr/khong-ton-tai"
            },
        ),
        Probe(
            "ocr format_type mismatch",
            "ocr",
            "POST",
            f"{card_url}?format_type=file",
            schema,
            "format_type",
            kwargs={"json": {"img": b64(s.front)}},
            assumptions={
                "D30": lambda ex: ex.code == "6",
                "D4": lambda ex: (ex.body or {}).get("errorMessage") == "Incorrect format type",
            },
        ),
        Probe(
            "ocr claims format_type mismatch",
            "ocr",
            "POST",
            "/api/v2/ocr/claims?format_type=file",
            "ocr_claims_response.json",
            "format_type",
            kwargs={"json": {"img": b64(s.front)}},
            assumptions={"D58": lambda ex: (ex.body or {}).get("errorMessage") == "Incorrect format type"},
        ),
        Probe(
            "ocr get_thumb neither true nor false",
            "ocr",
            "GET",
            f"{good_url}&get_thumb=yes",
            schema,
            "format_type",
            assumptions={"D49": lambda ex: ex.code == "6"},
        ),
        Probe(
            "ocr corrupt image",
            "ocr",
            "POST",
            f"{card_url}?format_type=base64",
            schema,
            "bad_image",
            kwargs={"json": {"img": b64(images.corrupt_image())}},
            assumptions={"D2": lambda ex: ex.code == "3"},
        ),
        Probe(
            "ocr unreachable URL",
            "ocr",
            "GET",
            f"{card_url}?img={UNREACHABLE}&format_type=url",
            schema,
            "url_unavailable",
        ),
        Probe(
            "ocr blank image",
            "ocr",
            "POST",
            f"{card_url}?format_type=base64",
            schema,
            "no_content",
            kwargs={"json": {"img": b64(images.blank_image())}},
        ),
        Probe(
            "ocr url mode without img",
            "ocr",
            "GET",
            f"{card_url}?format_type=url",
            schema,
            "url_unavailable",
            assumptions={"D31": lambda ex: ex.code == "2"},
        ),
        Probe(
            "ocr ekyc/cards success",
            "ocr",
            "POST",
            "/api/v2/ekyc/cards?format_type=base64&get_thumb=false",
            "ocr_ekyc_cards_response.json",
            "success",
            may_bill=True,
            kwargs={"json": {"img1": b64(s.front, True), "img2": b64(s.back, True)}},
            assumptions={
                "D6": _front_at_1,
                "D5": is_a("data", list),
                "D37": lambda ex: ex.code == "0",
                "D8": lambda ex: all(isinstance(i.get("valid"), bool) for i in items(ex)),
                "D9": lambda ex: all("invalidCode" in i for i in items(ex)),
                "D22": lambda ex: all("image" not in (i.get("info") or {}) for i in items(ex)),
                "D33": _dates_hyphenated,
            },
        ),
        Probe(
            "ocr ekyc/card success",
            "ocr",
            "POST",
            f"{card_url}?format_type=file&get_thumb=true",
            schema,
            "success",
            may_bill=True,
            kwargs={"files": {"img": ("front.jpg", s.front)}},
            assumptions={
                "D7": is_a("data", dict),
                "D22": lambda ex: all("image" in (i.get("info") or {}) for i in items(ex)),
            },
        ),
        Probe(
            "ocr ocr/card success",
            "ocr",
            "POST",
            "/api/v2/ocr/card?format_type=file",
            "ocr_card_response.json",
            "success",
            may_bill=True,
            kwargs={"files": {"img": ("front.jpg", s.front)}},
            assumptions={
                "D10": lambda ex: all("valid" not in i for i in items(ex)),
                "D12": lambda ex: isinstance((ex.body or {}).get("data"), list),
            },
        ),
    ]


def document_probes(s: Samples, names: tuple[str, ...]) -> list[Probe]:
    """One probe per OCR document endpoint named (``--endpoints``): a base64 request with the
    front sample, whose answer is checked against the endpoint's schema, whatever it reads."""
    from mockserver.contract.loading import load_contract

    ops = {op.path: op for op in load_contract().operations if op.operation_id.endswith("_upload")}
    probes = []
    for name in names:
        path = f"/api/v2/{name}"
        op = ops[path]
        if name.endswith("invoice-xml"):
            body: dict[str, Any] = {"files": {"img": ("hoa-don.xml", XML_INVOICE)}}
            url = f"{path}?format_type=file"
        else:
            pairs = ("img1", "img2") if name.endswith("vehicle_registrations") else ("img",)
            body = {"json": {n: b64(s.front) for n in pairs}}
            url = f"{path}?format_type=base64"
        checks: dict[str, Check] = {"D24": _inspection_keys} if name.endswith("vehicle_inspection") else {}
        probes.append(
            Probe(f"ocr {name}", "ocr", "POST", url, op.schema, None, may_bill=True, kwargs=body, assumptions=checks)
        )
    return probes


XML_INVOICE = b'<?xml version="1.0" encoding="UTF-8"?><HDon><DLHDon><TTChung><SHDon>1</SHDon></TTChung></DLHDon></HDon>'


def _inspection_keys(ex: Exchange) -> bool:
    info = next(iter(items(ex)), {}).get("info") or {}
    return ex.code != "0" or ("design_pay_load" in info and "type" in info)


def document_endpoints() -> tuple[str, ...]:
    """The OCR document endpoints a conformance run may probe, by name."""
    from mockserver.flows.ocr.document_views import ENDPOINTS

    return tuple(e.name for e in ENDPOINTS)
