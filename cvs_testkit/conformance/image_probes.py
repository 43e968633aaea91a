"""The batteries of the image services: Face Search (a gallery per key) and Smart Crop."""

from __future__ import annotations

from .. import images
from .probe import UNREACHABLE, Probe, Samples, b64, is_a, status_200


def face_search_probes(s: Samples) -> list[Probe]:
    images_path = "/api/v2/face_search/images"
    return [
        Probe(
            "face_search wrong secret",
            "face_search",
            "GET",
            images_path,
            "face_search_list_response.json",
            "auth",
            auth="wrong",
            assumptions={
                "D2": lambda ex: ex.code == "4",
                "D11": status_200,
                "D19": lambda ex: set(ex.body or {}) >= {"result", "status_code", "message"},
            },
        ),
        Probe(
            "face_search missing Authorization",
            "face_search",
            "GET",
            images_path,
            "face_search_list_response.json",
            "auth",
            auth="none",
        ),
        Probe(
            "face_search corrupt base64",
            "face_search",
            "POST",
            "/api/v2/face_search/search",
            "face_search_search_response.json",
            "bad_image",
            kwargs={"json": {"image": {"base64": "%%%"}}},
        ),
        Probe(
            "face_search image without a face",
            "face_search",
            "POST",
            "/api/v2/face_search/search",
            "face_search_search_response.json",
            "no_content",
            kwargs={"json": {"image": {"base64": b64(images.blank_image())}}},
        ),
        Probe(
            "face_search negative limit",
            "face_search",
            "GET",
            f"{images_path}?limit=-1",
            "face_search_list_response.json",
            "processing",
            assumptions={"D17": lambda ex: ex.code == "6"},
        ),
        Probe(
            "face_search delete posted to the add path",
            "face_search",
            "POST",
            images_path,
            "face_search_add_response.json",
            "bad_image",
            kwargs={"json": {"ids": [987654321]}},
            assumptions={"D14": lambda ex: ex.code == "1"},
        ),
        Probe(
            "face_search update of an unknown id",
            "face_search",
            "PUT",
            f"{images_path}/987654321",
            "face_search_update_response.json",
            "incorrect_id",
            kwargs={"json": {"metadata": {"a": "b"}}},
            assumptions={"D13": lambda ex: ex.code == "7"},
        ),
    ]


def smart_crop_probes(s: Samples) -> list[Probe]:
    crop = "/api/v2/smartcrop/crop_image"
    schema = "smart_crop_crop_image_response.json"
    return [
        Probe(
            "smart_crop wrong secret",
            "smart_crop",
            "GET",
            f"{crop}?url=https://cdn.example.vn/a.jpg&width=8&height=8",
            schema,
            "auth",
            auth="wrong",
            assumptions={"D3": lambda ex: ex.code == "4", "D1": is_a("errorCode", int)},
        ),
        Probe(
            "smart_crop missing Authorization",
            "smart_crop",
            "GET",
            f"{crop}?url=https://cdn.example.vn/a.jpg&width=8&height=8",
            schema,
            "auth",
            auth="none",
        ),
        Probe(
            "smart_crop missing width",
            "smart_crop",
            "GET",
            f"{crop}?url=https://cdn.example.vn/a.jpg&height=8",
            schema,
            "processing",
            assumptions={"D20": lambda ex: ex.code == "6"},
        ),
        Probe(
            "smart_crop corrupt image",
            "smart_crop",
            "POST",
            f"{crop}?width=8&height=8",
            schema,
            "bad_image",
            kwargs={"files": {"img": ("a.png", images.corrupt_image())}},
        ),
        Probe(
            "smart_crop blank image",
            "smart_crop",
            "POST",
            f"{crop}?width=8&height=8",
            schema,
            "no_content",
            kwargs={"files": {"img": ("blank.png", images.blank_image())}},
        ),
        Probe(
            "smart_crop unreachable URL",
            "smart_crop",
            "GET",
            f"{crop}?url={UNREACHABLE}&width=8&height=8",
            schema,
            "url_unavailable",
        ),
        Probe(
            "smart_crop crop_image success",
            "smart_crop",
            "POST",
            f"{crop}?width=120&height=80",
            schema,
            "success",
            may_bill=True,
            kwargs={"files": {"img": ("selfie.jpg", s.selfie)}},
            assumptions={"D21": lambda ex: "invalidCode" not in (ex.body or {})},
        ),
        Probe(
            "smart_crop crop_person success",
            "smart_crop",
            "POST",
            "/api/v2/smartcrop/crop_person?width=96&height=128",
            "smart_crop_crop_person_response.json",
            "success",
            may_bill=True,
            kwargs={"files": {"img": ("selfie.jpg", s.selfie)}},
            assumptions={"D21": lambda ex: "invalidCode" in (ex.body or {})},
        ),
    ]
