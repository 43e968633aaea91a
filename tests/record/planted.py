"""One invented person, planted in every place a real answer may carry a person: contract
fields, URLs with presigned tokens, free text, caller metadata in mixed case, MRZ lines,
fields the contract does not know, ``data:`` URIs and a non-JSON error page.

``upstream()`` is a stand-in for the real API that answers with that person; ``variants``
lists every spelling and encoding of a value a leak could take.
"""

from __future__ import annotations

import base64
import io
import json
import urllib.parse
from typing import Any

from flask import Flask, Response, jsonify, request
from PIL import Image, ImageDraw

from mockserver.generation.people import unaccent
from mockserver.recording.mrz import check_digit

NAME = "Lý Thị Tuyết Nhung"
UPPER = NAME.upper()
ID12, ID9, PASSPORT = "001186012345", "186012345", "C7654321"
DOB, DOB_MRZ, EXPIRY, EXPIRY_MRZ = "14/03/1986", "860314", "14/03/2026", "260314"
PHONE, EMAIL = "0912 345 678", "tuyet.nhung86@gmail.com"
STREET = "Số 7 ngõ 12 Phố Huế"
ADDRESS = f"{STREET}, Phường Phố Huế, Quận Hai Bà Trưng, Hà Nội"
NOTE = f"KH {UPPER} CCCD {ID12} đến quầy 3"
SIGNATURE = "9f8e7d6c5b4a39281716f5e4d3c2b1a0ffeeddcc"
CREDENTIAL = "AKIAIOSFODNN7EXAMPLE"
FILE_NAME = f"LY_THI_TUYET_NHUNG_{ID12}.jpg"
PRESIGNED = (
    f"https://kyc-bucket.s3.ap-southeast-1.amazonaws.com/customers/{FILE_NAME}"
    f"?X-Amz-Credential={CREDENTIAL}%2F20261202%2Fap-southeast-1%2Fs3%2Faws4_request&X-Amz-Signature={SIGNATURE}"
)


def _td1() -> list[str]:
    one = "IDVNM" + ID9 + check_digit(ID9) + ID12 + "<<<"
    two = DOB_MRZ + check_digit(DOB_MRZ) + "F" + EXPIRY_MRZ + check_digit(EXPIRY_MRZ) + "VNM" + "<" * 11
    two += check_digit(one[5:30] + two[0:7] + two[8:15] + two[18:29])
    return [one, two, "LY<<THI<TUYET<NHUNG".ljust(30, "<")]


def _td3() -> list[str]:
    one = "P<VNM" + "LY<<THI<TUYET<NHUNG".ljust(39, "<")
    personal = ID12.ljust(14, "<")
    two = PASSPORT + "<" + check_digit(PASSPORT + "<") + "VNM" + DOB_MRZ + check_digit(DOB_MRZ) + "F"
    two += EXPIRY_MRZ + check_digit(EXPIRY_MRZ) + personal + check_digit(personal)
    two += check_digit(two[0:10] + two[13:20] + two[21:43])
    return [one, two]


TD1, TD3 = _td1(), _td3()


def face_png() -> bytes:
    picture = Image.new("RGB", (64, 80), (230, 200, 180))
    ImageDraw.Draw(picture).ellipse((12, 10, 52, 60), fill=(120, 80, 60))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


FACE = face_png()
FACE_B64 = base64.b64encode(FACE).decode()
GENERAL_TEXT = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    f"Họ và tên: {NAME}\nSố CCCD: {ID12}  Ngày sinh: {DOB}\n"
    f"Địa chỉ: {ADDRESS}\nĐiện thoại: {PHONE}  Email: {EMAIL}\n" + "\n".join(TD1)
)
VALUES = [NAME, ID12, ID9, PASSPORT, DOB, PHONE, EMAIL, ADDRESS, STREET, NOTE, SIGNATURE, CREDENTIAL, FILE_NAME,
          *TD1, *TD3, "LY<<THI<TUYET<NHUNG", "Tuyết Nhung", "tuyet nhung"]  # fmt: skip


def variants(value: str) -> set[str]:
    """Every form a leak of ``value`` could take in a cassette or a log."""
    forms = {value, value.upper(), value.lower(), value.title(), unaccent(value), unaccent(value).upper()}
    forms |= {unaccent(value).lower(), unaccent(value).title()}
    if value == DOB:
        forms |= {"14-03-1986", "14.03.1986", "1986-03-14", "14031986", DOB_MRZ}
    if value == PHONE:
        forms |= {"0912345678", "912345678", "+84912345678", "0912.345.678"}
    if value == ID12:
        forms |= {"001 186 012 345"}
    out = set()
    for form in forms:
        out |= {form, urllib.parse.quote(form), urllib.parse.quote_plus(form), urllib.parse.quote(form, safe="")}
        out |= {json.dumps(form)[1:-1], json.dumps(form, ensure_ascii=False)[1:-1]}
        out.add(base64.b64encode(form.encode()).decode().rstrip("="))
    return {form for form in out if len(form) >= 6}


def _card_front() -> dict[str, Any]:
    return {
        "type": "chip_id_card_front",
        "valid": "True",
        "info": {
            "id": ID12, "name": UPPER, "dob": DOB, "gender": "Nữ", "nationality": "Việt Nam",
            "hometown": "Phố Huế, Hai Bà Trưng, Hà Nội", "address": ADDRESS, "due_date": EXPIRY,
            "address_entities": {"province": "Hà Nội", "street": STREET},
            "face_crop": "data:image/png;base64," + FACE_B64,
            "qr_payload": f"{ID12}|{ID9}|{NAME}|14031986|Nữ|{ADDRESS}|01012021",
        },
    }  # fmt: skip


def _card_back() -> dict[str, Any]:
    return {
        "type": "chip_id_card_back",
        "valid": "True",
        "info": {
            "person_number": ID12, "document_number": ID9, "sur_name": "LY", "given_name": "THI TUYET NHUNG",
            "dob": DOB, "due_date": EXPIRY, "mrz": list(TD1), "raw_face": FACE_B64,
        },
    }  # fmt: skip


def _passport() -> dict[str, Any]:
    return {
        "type": "passport",
        "info": {
            "id": PASSPORT, "full_name": UPPER, "sur_name": "LY", "given_name": "THI TUYET NHUNG", "dob": DOB,
            "person_number": ID12, "gender": "Nữ", "due_date": EXPIRY, "mrz_text": "\n".join(TD3),
        },
    }  # fmt: skip


def upstream() -> Flask:
    """A stand-in for the real API that answers every flow with the planted person."""
    app = Flask("planted-upstream")
    gallery: list[dict[str, Any]] = []

    @app.route("/api/v2/ekyc/cards", methods=["GET", "POST"])
    def cards() -> Response:
        return jsonify({"errorCode": "0", "errorMessage": "Success", "data": [_card_front(), _card_back()]})

    @app.route("/api/v2/ekyc/card", methods=["GET", "POST"])
    def card() -> Response:
        return jsonify({"errorCode": "0", "errorMessage": "Success", "data": _passport()})

    @app.route("/api/v2/ocr/document/general", methods=["GET", "POST"])
    def general() -> Response:
        text = {"text": GENERAL_TEXT, "page": 1, "contact": {"email": EMAIL, "phone": PHONE}}
        return jsonify({"errorCode": "0", "errorMessage": "Success", "data": [text]})

    @app.route("/api/v2/ocr/birth_certificate", methods=["GET", "POST"])
    def birth() -> Response:
        info = {"name": NAME.lower(), "dob": DOB, "place_of_birth": f"Bệnh viện Phụ sản Hà Nội, {ADDRESS}",
                "father_name": "Lý Văn Hùng", "mother_name": "Đỗ Thị Mai"}  # fmt: skip
        return jsonify(
            {"errorCode": "0", "errorMessage": "Success", "data": {"type": "birth_certificate", "info": info}}
        )

    @app.route("/api/v2/face_search/images", methods=["GET", "POST"])
    def images() -> Response:
        if request.method == "POST":
            body = request.get_json(silent=True) or {}
            gallery.append(
                {"id": len(gallery) + 1, "url": PRESIGNED, "metadata": body.get("image", {}).get("metadata")}
            )
            return jsonify({"status_code": 0, "message": "Successful", "result": gallery[-1]})
        return jsonify({"status_code": 0, "message": "Successful", "result": gallery})

    @app.route("/api/v2/smartcrop/crop_image", methods=["GET", "POST"])
    def crop() -> Response:
        return jsonify({"errorCode": 0, "errorMessage": "Successful", "url": PRESIGNED})

    @app.route("/api/v2/ocr/vehicle_plate", methods=["GET", "POST"])
    def gateway_page() -> Response:
        page = (
            f"<html><body><h1>502 Bad Gateway</h1><p>request for {request.args.get('img')} by {NAME}</p></body></html>"
        )
        return Response(page, status=502, content_type="text/html")

    return app


METADATA = {"hoTen": NAME, "Ho_ten_khong_dau": unaccent(NAME).lower(), "soCCCD": ID12, "ghiChu": NOTE,
            "sdt": PHONE, "email": EMAIL, "ngaySinh": DOB}  # fmt: skip
