"""Realistic answers for every response shape, written by hand from the vendor docs."""

from __future__ import annotations

import copy
from typing import Any

PLACES = {
    "address_town": "Thành phố Hà Nội",
    "address_town_code": "01",
    "address_district": "Quận Ba Đình",
    "address_district_code": "001",
    "address_ward": "Phường Phúc Xá",
    "address_ward_code": "00001",
    "hometown_town": "Tỉnh Nam Định",
    "hometown_town_code": "36",
    "hometown_district": "Huyện Hải Hậu",
    "hometown_district_code": "365",
    "hometown_ward": "Xã Hải Bắc",
    "hometown_ward_code": "14161",
}
CCCD_FRONT = {
    "type": "12_id_card_front",
    "valid": True,
    "invalidCode": 0,
    "invalidMessage": "Successful",
    "info": {
        "id": "036095001234",
        "name": "NGUYỄN THỊ HƯƠNG",
        "dob": "12/03/1995",
        "gender": "Nữ",
        "nationality": "Việt Nam",
        "ethnicity": "Kinh",
        "due_date": "12/03/2035",
        "hometown": "Xã Hải Bắc, Huyện Hải Hậu, Tỉnh Nam Định",
        "address": "Số 12, Tổ 3, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
        **PLACES,
        "id_confidence": 0.987,
        "name_confidence": 0.962,
        "dob_confidence": 0.991,
    },
}
CCCD_BACK = {
    "type": "12_id_card_back",
    "valid": True,
    "invalidCode": 0,
    "invalidMessage": "Successful",
    "info": {
        "issue_date": "10/10/2021",
        "issued_at": "CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ",
        "issue_date_confidence": 0.98,
        "issued_at_confidence": 0.95,
    },
}
PASSPORT = {
    "type": "passport",
    "valid": False,
    "invalidCode": 4,
    "invalidMessage": "The mrzcode on the passport is incorrectly formatted",
    "info": {
        "id": "C1234567",
        "sur_name": "TRAN",
        "given_name": "VAN DUC",
        "dob": "01/01/1988",
        "gender": "M",
        "country": "VNM",
        "nationality": "VNM",
        "due_date": "05/06/2031",
        "person_number": "001088004321",
        "confidence": 0.93,
        "place_of_birth": "Hà Nội",
    },
}
CMND_FRONT_PLAIN = {
    "type": "9_id_card_front",
    "info": {
        "id": "013456789",
        "name": "LÊ VĂN ĐỨC",
        "dob": "20/11/1979",
        "hometown": "Xã Hải Bắc, Huyện Hải Hậu, Tỉnh Nam Định",
        "address": "Thôn 4, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
        **PLACES,
    },
}
LICENCE_PLAIN = {
    "type": "driving_license",
    "info": {
        "id": "790123456789",
        "name": "PHẠM QUỐC BẢO",
        "dob": "02/09/1990",
        "class": "B2",
        "nationality": "Việt Nam",
        "issue_date": "15/04/2019",
        "due_date": "15/04/2029",
        "address": "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh",
    },
}
FACE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
IMAGE = {"id": 42, "url": "http://127.0.0.1:8080/__mock__/files/abc", "metadata": {"hoTen": "Đỗ Minh Châu"}}
SUCCESS = {"errorCode": "0", "errorMessage": "Success"}

EXAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "ekyc_cards": ("ocr_ekyc_cards_response.json", {**SUCCESS, "data": [CCCD_BACK, CCCD_FRONT]}),
    "ekyc_card_passport": ("ocr_ekyc_card_response.json", {**SUCCESS, "data": PASSPORT}),
    "ekyc_card_licence": ("ocr_ekyc_card_response.json", {**SUCCESS, "data": LICENCE_PLAIN}),
    "ocr_card_two": ("ocr_card_response.json", {**SUCCESS, "data": [CMND_FRONT_PLAIN, LICENCE_PLAIN]}),
    "ocr_error": ("ocr_card_response.json", {"errorCode": "2", "errorMessage": "Url is unavailable"}),
    "face_matching": (
        "face_matching_response.json",
        {
            **SUCCESS,
            "data": {
                "matching": "87.35",
                "match": "1",
                "face1": FACE,
                "face2": FACE,
                "invalidCode": 0,
                "invalidMessage": "Successful",
            },
        },
    ),
    "face_matching_error": (
        "face_matching_response.json",
        {"errorCode": "5", "errorMessage": "Incorrect Api_key or api_secret"},
    ),
    "face_search_list": ("face_search_list_response.json", {"result": [IMAGE], "status_code": 0, "message": "Success"}),
    "face_search_search": (
        "face_search_search_response.json",
        {"result": [IMAGE], "status_code": 0, "message": "Success"},
    ),
    "face_search_add": ("face_search_add_response.json", {"result": IMAGE, "status_code": 0, "message": "Success"}),
    "face_search_update": (
        "face_search_update_response.json",
        {"result": IMAGE, "status_code": 0, "message": "Success"},
    ),
    "face_search_delete": (
        "face_search_delete_response.json",
        {"result": None, "status_code": 0, "message": "Success"},
    ),
    "face_search_error": (
        "face_search_update_response.json",
        {"result": None, "status_code": 7, "message": "Incorrect Id"},
    ),
    "crop_image": (
        "smart_crop_crop_image_response.json",
        {"url": "http://127.0.0.1:8080/__mock__/files/x", "errorCode": 0, "errorMessage": "Success"},
    ),
    "crop_person": (
        "smart_crop_crop_person_response.json",
        {
            "url": "http://127.0.0.1:8080/__mock__/files/y",
            "errorCode": 0,
            "errorMessage": "Success",
            "invalidCode": 3,
            "invalidMessage": "Wearing sun glasses",
        },
    ),
    "crop_error": ("smart_crop_crop_person_response.json", {"errorCode": 5, "errorMessage": "Out of requests"}),
}


def example(name: str) -> tuple[str, dict[str, Any]]:
    schema, body = EXAMPLES[name]
    return schema, copy.deepcopy(body)
