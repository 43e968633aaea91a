"""Request strategies per operation: well-formed and deliberately broken."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from cvs_testkit import images
from cvs_testkit.strategies.values import b64, invalid, metadata, scenario_images
from cvs_testkit.strategies.values import images as picture_bytes
from mockserver.contract.loading import Operation, load_contract

Request = dict[str, Any]
LIVENESS_PATH = "/api/v2/ekyc/verify_liveness"
_WORDS = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=10)


def _url(host: str = "cdn.nganhang.example.vn") -> st.SearchStrategy[str]:
    return _WORDS.map(lambda w: f"https://{host}/kyc/{w}.jpg")


def _image_names(op: Operation) -> tuple[str, ...]:
    return ("img1", "img2") if op.path.endswith(("cards", "face_matching", "vehicle_registrations")) else ("img",)


def _b64(data: bytes) -> str:

    return b64(data)


def _xml_invoices() -> st.SearchStrategy[bytes]:
    """XML e-invoices as the invoice-xml endpoint takes them (file mode only)."""
    return st.builds(
        lambda number, total: (
            f'<?xml version="1.0" encoding="UTF-8"?><HDon><DLHDon><TTChung><SHDon>{number}</SHDon></TTChung>'
            f"<NDHDon><TToan><TgTTTBSo>{total}</TgTTTBSo></TToan></NDHDon></DLHDon></HDon>"
        ).encode(),
        st.integers(1, 9_999_999),
        st.integers(1_000, 10**9),
    )


def _picture() -> st.SearchStrategy[bytes]:

    return st.one_of(picture_bytes(), scenario_images())


def _request(
    method: str,
    path: str,
    params: dict[str, Any] | None = None,
    json: Any = None,
    files: dict[str, bytes] | None = None,
) -> Request:
    return {"method": method, "path": path, "params": params or {}, "json": json, "files": files or {}}


def _shots(code: int, person: str, other: str, spoof: images.Spoof, fmt: images.Format) -> dict[str, bytes]:
    """Three portraits that show the problem of ``code`` and no other (codes 1-8 of A.13.1)."""
    if code == 0:
        return images.liveness_shots(person, format=fmt)
    side = {1: "mid", 2: "left", 3: "right", 4: "left", 5: "right", 6: "mid", 7: "left", 8: "right"}[code]
    if code <= 3:
        shot = images.no_face(format=fmt)
    elif code <= 5:
        shot = images.portrait(other, pose=f"portrait_{side}", format=fmt)
    else:
        shot = images.portrait(person, pose=f"portrait_{side}", spoof=spoof, format=fmt)
    return images.liveness_shots(person, format=fmt, **{side: shot})


def liveness_requests(invalid_code: int | None = None) -> st.SearchStrategy[Request]:
    """Generates Verify Liveness requests whose three portraits show the problem of one
    ``invalidCode`` (0 to 8; any when None) from what is in them, no code pinned: "0" for three
    shots of one person, 4 or 5 for another person on one side, 1-3 for a shot without a face,
    6-8 for a screen, print, mask or closed eyes."""
    if invalid_code is not None and invalid_code not in range(9):
        return st.deferred(lambda: invalid("invalid_code is 0 to 8"))
    codes = st.integers(0, 8) if invalid_code is None else st.just(invalid_code)
    names = st.text(string.ascii_lowercase, min_size=3, max_size=8)
    people = st.tuples(names, names).filter(lambda pair: pair[0] != pair[1])
    return st.builds(
        lambda code, pair, spoof, fmt: _request(
            "POST", LIVENESS_PATH, files=_shots(code, pair[0], pair[1], spoof, fmt)
        ),
        codes,
        people,
        st.sampled_from(images.SPOOFS),
        st.sampled_from(["PNG", "JPEG"]),
    )


def good_requests(op: Operation) -> st.SearchStrategy[Request]:
    if op.flow == "liveness":
        return st.one_of(
            liveness_requests(),
            st.builds(
                lambda p: _request("POST", op.path, files=dict(zip(images.LIVENESS_PARTS, p, strict=True))),
                st.tuples(*[_picture()] * 3),
            ),
        )
    names = _image_names(op)
    extra: dict[str, st.SearchStrategy[Any]] = {}
    if op.flow == "ocr":
        extra["get_thumb"] = st.sampled_from(["true", "false"])
    if op.flow == "face_matching":
        extra["type1"] = st.sampled_from(["card", "portrait"])
    extras = st.fixed_dictionaries({}, optional=extra)
    if op.operation_id.endswith("_url") and op.flow in ("ocr", "face_matching"):
        return st.builds(
            lambda urls, e: _request(
                "GET", op.path, {**dict(zip(names, urls, strict=True)), "format_type": "url", **e}
            ),
            st.tuples(*[_url()] * len(names)),
            extras,
        )
    if op.operation_id == "invoice_xml_upload":
        return st.builds(
            lambda x: _request("POST", op.path, {"format_type": "file"}, files={"img": x}), _xml_invoices()
        )
    if op.operation_id.endswith("_upload"):
        pictures = st.tuples(*[_picture()] * len(names))
        as_file = st.builds(
            lambda pics, e: _request(
                "POST", op.path, {"format_type": "file", **e}, files=dict(zip(names, pics, strict=True))
            ),
            pictures,
            extras,
        )
        as_b64 = st.builds(
            lambda pics, e: _request(
                "POST",
                op.path,
                {"format_type": "base64", **e},
                json={n: b64(p) for n, p in zip(names, pics, strict=True)},
            ),
            pictures,
            extras,
        )
        return st.one_of(as_file, as_b64)
    sizes = st.fixed_dictionaries({"width": st.integers(1, 640), "height": st.integers(1, 640)})
    if op.flow == "smart_crop":
        if op.operation_id.endswith("_url"):
            return st.builds(lambda u, s: _request("GET", op.path, {"url": u, **s}), _url(), sizes)
        return st.builds(lambda p, s: _request("POST", op.path, s, files={"img": p}), _picture(), sizes)
    face = st.builds(lambda p: b64(p), _picture())
    return {
        "face_search_list": st.builds(
            lambda offset, limit: _request("GET", op.path, {"offset": offset, "limit": limit}),
            st.integers(0, 100),
            st.integers(0, 100),
        ),
        "face_search_add": st.builds(
            lambda f, m: _request("POST", op.path, json={"image": {"base64": f, "metadata": m}}), face, metadata()
        ),
        "face_search_search": st.builds(lambda f: _request("POST", op.path, json={"image": {"base64": f}}), face),
        "face_search_update": st.builds(
            lambda i, m: _request("PUT", op.path.replace("{image_id}", str(i)), json={"metadata": m}),
            st.integers(1, 50),
            metadata(),
        ),
        "face_search_delete": st.builds(
            lambda ids: _request("DELETE", op.path, json={"ids": ids}),
            st.lists(st.integers(1, 50), min_size=1, max_size=4),
        ),
    }[op.operation_id]


def broken_requests(op: Operation) -> st.SearchStrategy[Request]:
    names = _image_names(op)
    corrupt = st.sampled_from([b"", b"not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, b"GIF89a"])
    if op.flow == "liveness":
        return st.one_of(
            st.builds(  # one part corrupt, or one missing
                lambda c, k, drop: _request(
                    "POST",
                    op.path,
                    files={
                        n: c if i == k else images.portrait("an", pose=n)
                        for i, n in enumerate(images.LIVENESS_PARTS)
                        if not (drop and i == k)
                    },
                ),
                corrupt,
                st.integers(0, 2),
                st.booleans(),
            ),
            st.just(_request("POST", op.path, json={n: "" for n in images.LIVENESS_PARTS})),  # no multipart at all
        )
    bad_b64 = st.sampled_from(["%%%", "ảnh-không-hợp-lệ", "", "QUJD!"])
    if op.operation_id.endswith("_url") and op.flow in ("ocr", "face_matching"):
        return st.one_of(
            st.just(_request("GET", op.path, {"format_type": "url"})),
            st.builds(lambda u: _request("GET", op.path, {n: u for n in names}), _url("anh.invalid")),
            st.builds(lambda u: _request("GET", op.path, {**{n: u for n in names}, "format_type": "base64"}), _url()),
        )
    if op.operation_id == "invoice_xml_upload":
        return st.one_of(
            st.builds(lambda c: _request("POST", op.path, {"format_type": "file"}, files={"img": c}), corrupt),
            st.builds(
                lambda x: _request("POST", op.path, {"format_type": "base64"}, json={"img": _b64(x)}), _xml_invoices()
            ),
        )
    if op.operation_id.endswith("_upload"):
        return st.one_of(
            st.builds(
                lambda c: _request("POST", op.path, {"format_type": "file"}, files={n: c for n in names}), corrupt
            ),
            st.builds(
                lambda t: _request("POST", op.path, {"format_type": "base64"}, json={n: t for n in names}), bad_b64
            ),
            st.just(_request("POST", op.path, {"format_type": "file"}, json={n: "" for n in names})),
        )
    if op.flow == "smart_crop":
        bad = st.sampled_from(["0", "-4", "mười", "99999", ""])
        return st.builds(
            lambda w: _request("GET", op.path, {"url": "https://a.vn/x.jpg", "width": w, "height": "5"}), bad
        )
    return {
        "face_search_list": st.builds(
            lambda v: _request("GET", op.path, {"limit": v}), st.sampled_from(["-1", "x", "1.5"])
        ),
        "face_search_add": st.one_of(
            st.builds(lambda t: _request("POST", op.path, json={"image": {"base64": t}}), bad_b64),
            st.builds(
                lambda k: _request("POST", op.path, json={"image": {"base64": "QUJD", "metadata": {k: 1}}}),
                st.sampled_from(["user", "encoding", "_id"]),
            ),
        ),
        "face_search_search": st.builds(lambda t: _request("POST", op.path, json={"image": {"base64": t}}), bad_b64),
        "face_search_update": st.builds(
            lambda i: _request("PUT", op.path.replace("{image_id}", i), json={}), st.sampled_from(["abc", "-1", "0"])
        ),
        "face_search_delete": st.sampled_from(
            [_request("DELETE", op.path, json={"ids": []}), _request("DELETE", op.path, json={"ids": ["1"]})]
        ),
    }[op.operation_id]


def requests_for(operation_id: str, *, valid: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Generates requests ``{method, path, params, json, files}`` for an operation: well-formed
    ones (``valid=True``) or deliberately broken ones (corrupt image, bad base64, mismatched
    format_type, reserved metadata, bad sizes)."""
    ops = {op.operation_id: op for op in load_contract().operations}
    if operation_id not in ops:
        return st.deferred(lambda: invalid(f"unknown operation {operation_id!r}"))
    op = ops[operation_id]
    return good_requests(op) if valid else broken_requests(op)
