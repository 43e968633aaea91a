"""The endpoints that read whole files (Appendix A.13): claim files and their page labels
agree, an HR file describes one employee, statements and credit reports add up, land
certificates name consistent owners, and page pointers point at pages that exist."""

from __future__ import annotations

import base64
import io
import itertools
from typing import Any

import pytest

from cvs_testkit import images
from cvs_testkit.contract import problems_for_schema
from mockserver import create_app
from mockserver.flows.ocr.document_views import ENDPOINTS, Endpoint
from mockserver.generation.claim_files import LABEL_OF
from tests.conftest import Api

CLAIMS, LABELS = "/api/v2/ocr/claims", "/api/v2/ocr/document/get_label_claim"
A13_PATHS = tuple(
    f"/api/v2/ocr/{p}"
    for p in ("claims", "document/get_label_claim", "employee_profile", "document/bank_statement",
              "document/credit_report", "document/land_certificate")
)  # fmt: skip


def read(api: Api, path: str, upload: bytes, query: str = "") -> Any:
    answer = api.post(f"{path}?format_type=file{query}", data={"img": (io.BytesIO(upload), "ho-so.pdf")})
    body = answer.get_json()
    assert body["errorCode"] == "0", body
    return body["data"], answer.headers.get("X-CVS-Mock-Note", "")


def amount(text: str) -> int:
    return int(text.replace(".", "") or 0)


def test_claims_and_labels_of_one_file_agree_page_by_page(api: Api) -> None:
    claim_file = images.pdf(
        [
            images.document("claim_form"),
            images.document("12_id_card_front"),
            images.document("invoice"),
            images.document("claim_page", fields={"label": "prescription"}),
            images.document("driving_license"),
            images.document("passport"),
        ]
    )
    items, note = read(api, CLAIMS, claim_file)
    labels, _ = read(api, LABELS, claim_file)
    assert [i["type"] for i in items] == ["claim_form", "12_id_card_front", "passport"]
    assert "ocr/claims does not read" in note and "invoice" in note and "driving_license" in note
    assert labels == [
        {"id": n, "label": label}
        for n, label in enumerate(["claim_form", "id_doc", "invoice", "prescription", None, "id_doc"])
    ]


def test_a_plain_file_reads_and_labels_the_same_kinds(api: Api) -> None:
    plain = images.pdf([None] * 4)
    items, _ = read(api, CLAIMS, plain)
    labels, _ = read(api, LABELS, plain, "&get_thumb=true")
    assert [LABEL_OF[i["type"]] for i in items] == [page["label"] for page in labels]
    assert all(base64.b64decode(page["image"])[:4] == b"\x89PNG" for page in labels)


def test_one_insured_person_is_behind_every_document_of_a_claim_file(api: Api) -> None:
    upload = images.pdf(
        [images.document("claim_form"), images.document("chip_id_card_front"), images.document("bvcard")]
    )
    form, card, member = (item["info"] for item in read(api, CLAIMS, upload)[0])
    assert form["insure_name"] == card["name"] == member["name"]
    assert form["id_card_no"] == card["id"] and form["dob"] == card["dob"] and form["gender"] == card["gender"]
    assert member["valid"].count("/") == 4  # a validity period, not the validity flag (CL1)


def test_a_label_that_is_none_of_the_17_is_left_out_and_named(api: Api) -> None:
    upload = images.pdf([images.document("claim_page", fields={"label": "x_ray"}), images.document("claim_form")])
    labels, note = read(api, LABELS, upload)
    assert [page["label"] for page in labels] == [None, "claim_form"] and "'x_ray' is none of the 17 labels" in note


def test_an_hr_file_gathers_the_pages_of_one_employee(api: Api) -> None:
    upload = images.pdf(
        [
            images.document("id_card"),
            images.document("curriculum_vitae"),
            images.document("curriculum_vitae"),
            images.document("birth_certificate"),
            [],  # a page nothing is read from
        ]
    )
    data, _ = read(api, "/api/v2/ocr/employee_profile", upload, "&get_thumb=true")
    assert set(data) == {"id_card", "curriculum_vitae", "birth_certificate", "image_negative"}
    (card,), (cv,), (birth,) = (data[k] for k in ("id_card", "curriculum_vitae", "birth_certificate"))
    assert card["type"] == "id_card" and cv["type"] == "curriculum_vitae" and len(data["image_negative"]) == 1
    cv_info, birth_info = cv["info"], birth["info"]
    assert {"image_0", "image_1"} <= set(cv_info) and "image_2" not in cv_info  # the CV's two pages
    assert {v for k, v in cv_info.items() if k.endswith("_id")} <= {0, 1}
    assert card["info"]["name"] == cv_info["name"] == birth_info["name"]
    assert (cv_info["father_name"], cv_info["mother_name"]) == (birth_info["father_name"], birth_info["mother_name"])
    assert {"regis_place", "place_of_birth", "father_address"} <= set(birth_info) and "regis_date" not in birth_info
    assert "image_back" in card["info"] and "id_box" in card["info"] and "image_front_box" not in card["info"]


def test_a_bank_statement_balance_follows_every_row(api: Api) -> None:
    rows = [["01/02/2025", "NHAN LUONG", "", "10.000.000"], ["02/02/2025", "RUT TIEN ATM", "2.500.000", ""]]
    pinned = images.pdf([images.document("bank_statement", fields={"rows": rows}), None, None])
    pages, _ = read(api, "/api/v2/ocr/document/bank_statement", pinned)
    assert len(pages) == 3 and all(len(p["image_table"]) == len(p["json"]) for p in pages)  # get_thumb or not
    first = pages[0]["json"][0]
    assert [[c["value"] for c in row[:4]] for row in first] == rows
    assert amount(first[1][4]["value"]) - amount(first[0][4]["value"]) == -2_500_000
    for page in pages:
        for table in page["json"]:
            for before, row in itertools.pairwise(table):
                assert all(len(r) == 5 for r in (before, row))
                change = amount(row[3]["value"]) - amount(row[2]["value"])
                assert amount(row[4]["value"]) == amount(before[4]["value"]) + change


def test_a_credit_report_adds_up_and_points_at_its_pages(api: Api) -> None:
    upload = images.pdf([images.document("credit_report"), images.document("credit_report"), []])
    report, _ = read(api, "/api/v2/ocr/document/credit_report", upload, "&get_thumb=true")
    info = report["info"]
    assert report["type"] == "credit_report" and len(info["imgs"]) == 2  # the third page is no report page
    assert {v for k, v in info.items() if k.endswith("_id")} <= {0, 1}
    for lender in info["loan_details"]:
        debts = lender[3]
        assert sum(amount(d["debt"]) for d in debts["value"]) == amount(lender[4]["value"])
        assert len(debts["box"]) == len(debts["score"]) == len(debts["value"])
    total = sum(amount(row[4]["value"]) for row in info["loan_details"])
    assert amount(info["outstanding_loans"][0][0]["value"]) == total
    assert all(f"{table}_image" in info for table in ("loan_details", "bad_debt", "customers_look_up"))
    without, _ = read(api, "/api/v2/ocr/document/credit_report", upload)
    assert not any(k == "imgs" or k.endswith("_image") for k in without["info"])


def test_land_certificate_owners_live_on_their_plot(api: Api) -> None:
    for form in ("giay_cnqshdd_mau_1", "giay_cnqshdd_mau_2", "giay_cnqshdd_mau_3"):
        for seed in ("a", "b", "c", "d"):
            upload = images.pdf([images.document(form, seed=seed), None])
            cert, _ = read(api, "/api/v2/ocr/document/land_certificate", upload)
            info, owners = cert["info"], cert["info"]["noi_dung_chu_dat"]
            assert cert["type"] == form and 1 <= len(owners) <= 2
            assert len({o["dia_chi"] for o in owners}) == 1 and all(len(o["nam_sinh"]) == 4 for o in owners)
            assert info.get("dia_chi_thua_dat", owners[0]["dia_chi"]) == owners[0]["dia_chi"]
            if form == "giay_cnqshdd_mau_1":
                assert all(o["ten"] in info["thong_tin_ghi_chu"] for o in owners)
            assert all(set(o) == {"ten", "nam_sinh", "so_cmt", "dia_chi"} for o in owners)  # no companions (LC1)
            assert problems_for_schema({"errorCode": "0", "errorMessage": "Success", "data": cert},
                                       "ocr_land_certificate_response.json", "strict") == []  # fmt: skip


def test_only_the_page_images_a_document_has_are_sent(api: Api) -> None:
    upload = images.pdf([images.document("giay_cnqshdd_mau_3"), images.document("giay_cnqshdd_mau_3")])
    with_thumb, _ = read(api, "/api/v2/ocr/document/land_certificate", upload, "&get_thumb=true")
    assert len(with_thumb["info"]["list_img"]) == 2
    assert {v for k, v in with_thumb["info"].items() if k.endswith("_id")} <= {0, 1}


def test_the_verbatim_dialect_keeps_the_right_spelling_where_the_page_prints_it() -> None:
    app = create_app({"TESTING": True, "DIALECT": "docs"})
    api = Api(app.test_client())
    mismatch = {"img": images.to_base64(images.id_card())}
    on_claims = api.post(f"{CLAIMS}?format_type=url", json=mismatch).get_json()
    on_card = api.post("/api/v2/ekyc/card?format_type=url", json=mismatch).get_json()
    assert on_claims == {"errorCode": "6", "errorMessage": "Incorrect format type"}
    assert on_card == {"errorCode": "6", "errorMessage": "ncorrect format type"}


FILE_ENDPOINTS = [e for e in ENDPOINTS if e.path.startswith(A13_PATHS)]


@pytest.mark.parametrize("endpoint", FILE_ENDPOINTS, ids=lambda e: e.name)
def test_a_file_whose_pages_show_nothing_it_reads_is_no_content(api: Api, endpoint: Endpoint) -> None:
    nothing = images.pdf([[], []])
    for mode in ("file", "base64"):
        if mode == "file":
            answer = api.post(f"{endpoint.path}?format_type=file", data={"img": (io.BytesIO(nothing), "a.pdf")})
        else:
            answer = api.post(f"{endpoint.path}?format_type=base64", json={"img": images.to_base64(nothing)})
        body = {"errorCode": "1", "errorMessage": "The photo does not contain content"}
        assert (answer.get_json(), answer.headers["X-CVS-Mock-Trigger"]) == (body, "scenario-pdf:no-document")


def test_a_claim_file_reads_each_card_with_the_fields_its_page_prints(api: Api) -> None:
    upload = images.pdf([images.document(t) for t in ("passport", "chip_id_card_back", "9_id_card_back")])
    passport, chip_back, old_back = (item["info"] for item in read(api, CLAIMS, upload, "&get_thumb=true")[0])
    assert not any(k.endswith("_box") for k in passport) and "confidence" in passport and "full_name" not in passport
    assert {"issued_at_box", "issued_at_confidence", "mrz_confidence", "image"} <= set(chip_back)
    assert "identification_sign" not in chip_back and "country_box" not in chip_back
    assert set(old_back) - {"image"} == {
        f"{f}{s}" for f in ("ethnicity", "issue_date", "religious", "issued_at") for s in ("", "_box", "_confidence")
    }
