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
# rev C of the identity page: every field with its confidence and its [left, top, right, bottom] box
CHIP_FRONT_REV_C = {
    "type": "chip_id_card_front",
    "valid": True,
    "invalidCode": 0,
    "invalidMessage": "Successful",
    "info": {
        "id": "001301005678",
        "id_box": [402, 265, 761, 312],
        "id_confidence": 0.9934,
        "name": "ĐINH THỊ THU",
        "name_box": [398, 326, 690, 361],
        "name_confidence": 0.9812,
        "dob": "14-02-2001",
        "dob_box": [612, 368, 760, 398],
        "dob_confidence": 0.9901,
        "gender": "Nữ",
        "gender_box": [515, 404, 560, 432],
        "gender_confidence": 0.9977,
        "nationality": "Việt Nam",
        "nationality_box": [790, 404, 905, 432],
        "nationality_confidence": 0.9968,
        "hometown": "Xã Hải Bắc, Huyện Hải Hậu, Tỉnh Nam Định",
        "hometown_box": [398, 458, 960, 492],
        "hometown_confidence": 0.9455,
        "address": "Số 12, Tổ 3, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
        "address_box": [398, 528, 960, 600],
        "address_confidence": 0.9123,
        "due_date": "14-02-2026",
        "due_date_box": [120, 585, 262, 612],
        "due_date_confidence": 0.9876,
        **PLACES,
    },
}
CHIP_BACK_REV_C = {
    "type": "chip_id_card_back",
    "valid": True,
    "invalidCode": 0,
    "invalidMessage": "Successful",
    "info": {
        "issue_date": "10-05-2021",
        "issue_date_box": [170, 250, 330, 282],
        "issue_date_confidence": 0.9888,
        "issued_at": "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
        "identification_sign": "Nốt ruồi C:2cm trên sau đuôi mắt phải",
        "identification_sign_box": [60, 120, 600, 180],
        "identification_sign_confidence": 0.8432,
        "country": "VNM",
        "document_number": "301005678",
        "person_number": "001301005678",
        "dob": "14-02-2001",
        "gender": "F",
        "due_date": "14-02-2026",
        "nationality": "VNM",
        "sur_name": "DINH",
        "given_name": "THI THU",
        "mrz_confidence": 0.9712,
    },
}
PASSPORT_REV_C = {
    "type": "passport",
    "valid": True,
    "invalidCode": 0,
    "invalidMessage": "Successful",
    "info": {
        "id": "C7654321",
        "id_box": [700, 110, 880, 140],
        "id_confidence": 0.99,
        "sur_name": "DINH",
        "given_name": "THI THU",
        "full_name": "DINH THI THU",
        "full_name_box": [380, 170, 760, 200],
        "full_name_confidence": 0.97,
        "dob": "14-02-2001",
        "dob_box": [380, 260, 520, 290],
        "dob_confidence": 0.98,
        "gender": "F",
        "gender_box": [380, 300, 420, 330],
        "gender_confidence": 0.99,
        "country": "VNM",
        "nationality": "VNM",
        "nationality_box": [380, 220, 520, 250],
        "nationality_confidence": 0.99,
        "due_date": "20-03-2032",
        "due_date_box": [640, 340, 780, 370],
        "due_date_confidence": 0.97,
        "person_number": "001301005678",
        "person_number_box": [640, 300, 860, 330],
        "person_number_confidence": 0.96,
        "issue_date": "20-03-2022",
        "issue_date_box": [380, 340, 520, 370],
        "issue_date_confidence": 0.95,
        "issued_at": "Cục Quản lý xuất nhập cảnh",
        "issued_at_box": [380, 380, 760, 410],
        "issued_at_confidence": 0.92,
        "place_of_birth": "Nam Định",
        "place_of_birth_box": [640, 260, 780, 290],
        "place_of_birth_confidence": 0.94,
        "mrz_confidence": 0.98,
        "confidence": 0.97,
    },
}
FACE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
IMAGE = {"id": 42, "url": "http://127.0.0.1:8080/__mock__/files/abc", "metadata": {"hoTen": "Đỗ Minh Châu"}}
SUCCESS = {"errorCode": "0", "errorMessage": "Success"}

# Appendix A pages, in their shapes
REG_FRONT = {
    "type": "vehicle_registration_front",
    "info": {
        "name": "NGUYỄN VĂN HÙNG",
        "address": "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
        "id": "012345",
        "plate": "29-B1 123.45",
        "issued_at": "Công an Hà Nội",
        "name_confidence": 0.97,
        "plate_confidence": 0.99,
    },
}
REG_BACK = {
    "type": "vehicle_registration_back",
    "info": {
        "name": "NGUYỄN VĂN HÙNG",
        "address": "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
        "engine": "JF83E-0123456",
        "chassis": "RLHJF8312KY012345",
        "brand": "HONDA",
        "model": "WAVE ALPHA",
        "color": "Đỏ - Đen",
        "capacity": "110",
        "issued_at": "Công an Hà Nội",
        "last_issue_date": "12-05-2019",
        "first_issue_date": "12-05-2019",
        "plate": "29-B1 123.45",
        "pay_load": "",
    },
}
INVOICE_PAGE = {
    "type": "invoice",
    "info": {
        "date": "15-03-2024",
        "date_box": [820, 140, 980, 170],
        "date_confidence": 0.98,
        "form": "01GTKT0/001",
        "invoice_no": "0001234",
        "serial_no": "AA/24E",
        "supplier": "CÔNG TY TNHH AN KHANG",
        "tax_code": "0101234567",
        "total_amount": "1.188.000",
        "sub_total": "1.100.000",
        "vat_amount": "88.000",
        "vat_rate": "8%",
        "info_goods": [{"name": "Mực in laser", "coin": "650.000"}, {"name": "Giấy in A4 (ram)", "coin": "450.000"}],
        "account_bank": [{"account_no": "0011001234567", "bank": "Vietcombank", "bank_confidence": 0.9}],
        "table": [[{"value": "1", "box": [40, 240, 80, 270], "score": 0.99, "label": "number"}]],
    },
}
EXAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "vehicle_registrations": ("ocr_vehicle_registrations_response.json", {**SUCCESS, "data": [REG_FRONT, REG_BACK]}),
    "vehicle_registration": ("ocr_vehicle_registration_response.json", {**SUCCESS, "data": REG_BACK}),
    "birth_certificate": (
        "ocr_birth_certificate_response.json",
        {
            **SUCCESS,
            "data": {
                "type": "birth_certificate",
                "info": {
                    "name": "LÊ MINH AN",
                    "dob": "02-09-2018",
                    "gender": "Nam",
                    "number": "125",
                    "number_book": "01/2018",
                    "regis_date": "20-09-2018",
                    "father_name": "LÊ VĂN BÌNH",
                    "father_dob": "11-04-1988",
                    "mother_name": "TRẦN THỊ CÚC",
                    "mother_dob": "23-12-1990",
                    "name_confidence": 0.96,
                },
            },
        },
    ),
    "vehicle_plate": (
        "ocr_vehicle_plate_response.json",
        {**SUCCESS, "data": [{"plate": "30A-123.45"}, {"plate": "51F-678.90"}]},
    ),
    "invoice": ("ocr_invoice_response.json", {**SUCCESS, "data": [INVOICE_PAGE]}),
    "get_table": (
        "ocr_get_table_response.json",
        {**SUCCESS, "data": [{"info": [["3", "Liti", "Li"], ["4", "Beri", "Be"]], "image": FACE}]},
    ),
    "general": (
        "ocr_general_response.json",
        {
            **SUCCESS,
            "data": [
                [
                    [
                        [
                            {
                                "text": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                "confidence": 0.98,
                                "box": {"left": 120, "right": 700, "top": 40, "bottom": 70},
                            }
                        ]
                    ]
                ]
            ],
        },
    ),
    "price_quotation": (
        "ocr_price_quotation_response.json",
        {
            **SUCCESS,
            "data": {
                "type": "price_quotation",
                "info": {
                    "name_of_garage": "GARA Ô TÔ MINH LONG",
                    "quotation_date": "01-06-2024",
                    "estimated_delivery_date": "05-06-2024",
                    "total_amount": "935.000",
                    "sub_total": "850.000",
                    "vat_amount": "85.000",
                    "table": [
                        {
                            "description": "Thay má phanh trước",
                            "quantity": "1",
                            "unit_price": "850.000",
                            "percent_discount": "0%",
                            "discount": "0",
                            "description_box": [40, 220, 300, 250],
                        }
                    ],
                },
            },
        },
    ),
    "vehicle_papers": ("ocr_vehicle_response.json", {**SUCCESS, "data": [REG_FRONT, LICENCE_PLAIN]}),
    "ekyc_cards": ("ocr_ekyc_cards_response.json", {**SUCCESS, "data": [CCCD_BACK, CCCD_FRONT]}),
    "ekyc_card_passport": ("ocr_ekyc_card_response.json", {**SUCCESS, "data": PASSPORT}),
    "ekyc_cards_chip_rev_c": ("ocr_ekyc_cards_response.json", {**SUCCESS, "data": [CHIP_BACK_REV_C, CHIP_FRONT_REV_C]}),
    "ekyc_card_passport_rev_c": ("ocr_ekyc_card_response.json", {**SUCCESS, "data": PASSPORT_REV_C}),
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
