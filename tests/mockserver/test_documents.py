"""The OCR document endpoints: every endpoint x input mode answers like the identity family,
PDFs page by page, generated papers that add up, and honest answers for unserved paths."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvs_testkit import images
from cvs_testkit.contract import contract, problems_for_schema
from mockserver import create_app
from mockserver.flows.ocr.document_views import ENDPOINTS, Endpoint
from mockserver.generation.documents import BUILDERS, Dates
from mockserver.generation.people import person_for
from tests.conftest import Api, basic

IMAGE_ENDPOINTS = [e for e in ENDPOINTS if not e.xml]
PDF_ENDPOINTS = [e for e in ENDPOINTS if e.pdf and e.shape not in ("profile", "file")]  # these read a whole file
ERRORS = {
    "1": "The photo does not contain content",
    "2": "Url is unavailable",
    "3": "Incorrect image format",
    "4": "Out of requests",
    "5": "Incorrect Api_key or api_secret",
    "6": "Incorrect format type",
}
XML = b'<?xml version="1.0" encoding="UTF-8"?><HDon><DLHDon><TTChung><SHDon>7</SHDon></TTChung></DLHDon></HDon>'


def schema_of(endpoint: Endpoint) -> str:
    return next(op.schema for op in contract().operations if op.path == endpoint.path)


def sample(endpoint: Endpoint, n: int = 0) -> bytes:
    """A scenario image of what the endpoint reads (img1 a front, img2 a back for pairs)."""
    return images.scenario_image(documents=[images.document(endpoint.types[n % len(endpoint.types)])])


def send(api: Api, endpoint: Endpoint, mode: str, pictures: list[bytes] | None = None, query: str = "") -> dict:
    pictures = pictures or [sample(endpoint, n) for n in range(len(endpoint.images))]
    named = dict(zip(endpoint.images, pictures, strict=True))
    if mode == "url":
        urls = "&".join(f"{n}=https://cdn.example.vn/{n}.jpg" for n in endpoint.images)
        return api.get(f"{endpoint.path}?{urls}&format_type=url{query}")
    if mode == "file":
        data = {n: (io.BytesIO(p), f"{n}.bin") for n, p in named.items()}
        return api.post(f"{endpoint.path}?format_type=file{query}", data=data)
    body = {n: base64.b64encode(p).decode() for n, p in named.items()}
    return api.post(f"{endpoint.path}?format_type=base64{query}", json=body)


CASES = [(e, mode) for e in IMAGE_ENDPOINTS for mode in ("url", "file", "base64")]


@pytest.mark.parametrize(("endpoint", "mode"), CASES, ids=[f"{e.name}-{m}" for e, m in CASES])
def test_every_endpoint_and_mode_succeeds_billed_and_valid(api: Api, endpoint: Endpoint, mode: str) -> None:
    answer = send(api, endpoint, mode, query="&get_thumb=true")  # TESTING: a strict violation raises
    body = answer.get_json()
    assert (answer.status_code, body["errorCode"], body["errorMessage"]) == (200, "0", "Success")
    for reading in ("strict", "tolerant"):
        assert problems_for_schema(body, schema_of(endpoint), reading) == []
    data = body["data"]
    items = data if isinstance(data, list) else [data]
    assert all("valid" not in item for item in items if isinstance(item, dict))  # no validity keys (A)
    if endpoint.shape == "single":
        assert isinstance(data, dict)
    elif endpoint.shape == "file":
        assert set(data) == {"type", "info"} and data["type"] in endpoint.types
    elif endpoint.shape == "profile":
        assert set(data) - {"image_negative"} <= set(endpoint.types) and data
    elif endpoint.shape == "pair":
        assert [i["type"] for i in data] == ["vehicle_registration_front", "vehicle_registration_back"]
    else:
        assert isinstance(data, list) and data
    totals = api.client.get("/__mock__/usage").get_json()["totals"]["demo"]
    assert totals[endpoint.name] == {"requests": 1, "billable": 1}


@pytest.mark.parametrize("endpoint", IMAGE_ENDPOINTS, ids=[e.name for e in IMAGE_ENDPOINTS])
def test_each_error_code_by_the_input_a_user_sends(endpoint: Endpoint) -> None:
    app = create_app({"TESTING": True})
    api = Api(app.test_client())
    api.client.post("/__mock__/keys", json={"api_key": "het-luot", "api_secret": "s", "quota": 0})
    blank, corrupt = images.blank_image(), b"definitely not an image"
    n = len(endpoint.images)
    answers = {
        "1": send(api, endpoint, "file", [blank] * n),
        "2": api.get(endpoint.path + "?" + "&".join(f"{i}=https://cdn.x.invalid/a.jpg" for i in endpoint.images)),
        "3": send(api, endpoint, "file", [corrupt] * n),
        "4": send(api.with_auth(basic("het-luot", "s")), endpoint, "base64"),
        "5": send(api.with_auth(basic("demo", "sai")), endpoint, "url"),
        "6": api.post(f"{endpoint.path}?format_type=url", json={i: "aGVsbG8=" for i in endpoint.images}),
    }
    for code, answer in answers.items():
        assert (answer.status_code, answer.get_json()) == (200, {"errorCode": code, "errorMessage": ERRORS[code]})
    usage = api.client.get("/__mock__/usage").get_json()["totals"]
    assert usage["demo"][endpoint.name]["billable"] == 0  # errors are not billed


def test_invoice_xml_takes_an_xml_file_and_nothing_else(api: Api) -> None:
    path = "/api/v2/ocr/document/invoice-xml"
    ok = api.post(f"{path}?format_type=file", data={"img": (io.BytesIO(XML), "hd.xml")}).get_json()
    assert ok["errorCode"] == "0" and ok["data"][0]["type"] == "invoice"
    pinned = XML.replace(
        b"<HDon>",
        b'<?cvs-scenario {"cvs_scenario":1,"documents":[{"type":"invoice","fields":{"invoice_no":"0000042"}}]}?><HDon>',
    )
    read = api.post(f"{path}?format_type=file", data={"img": (io.BytesIO(pinned), "hd.xml")})
    assert read.get_json()["data"][0]["info"]["invoice_no"] == "0000042"
    assert read.headers["X-CVS-Mock-Trigger"] == "scenario-xml"
    not_xml = api.post(f"{path}?format_type=file", data={"img": (io.BytesIO(b"<oops"), "hd.xml")}).get_json()
    as_json = api.post(f"{path}?format_type=base64", json={"img": base64.b64encode(XML).decode()}).get_json()
    assert not_xml == {"errorCode": "3", "errorMessage": "Incorrect image format"}
    assert as_json == {"errorCode": "6", "errorMessage": "Incorrect format type"}
    assert api.get(f"{path}?img=https://a.vn/x.xml").status_code == 405


@pytest.mark.parametrize("endpoint", PDF_ENDPOINTS, ids=[e.name for e in PDF_ENDPOINTS])
@pytest.mark.parametrize("pages", [1, 3])
def test_pdfs_answer_one_item_per_page(api: Api, endpoint: Endpoint, pages: int) -> None:
    doc = endpoint.types[0]
    pdf = images.pdf([images.document(doc)] + [None] * (pages - 1))
    for mode in ("file", "base64"):
        body = send(api, endpoint, mode, [pdf]).get_json()
        assert body["errorCode"] == "0" and len(body["data"]) == pages
        assert problems_for_schema(body, schema_of(endpoint), "strict") == []


def test_a_pdf_page_says_what_it_was_pinned_to(api: Api) -> None:
    pdf = images.pdf(
        [
            images.document("invoice", fields={"invoice_no": "0000001"}),
            images.document("invoice", fields={"invoice_no": "0000002"}),
        ]
    )
    body = send(api, ENDPOINTS[5], "file", [pdf]).get_json()
    assert [i["info"]["invoice_no"] for i in body["data"]] == ["0000001", "0000002"]


def test_ekyc_and_ocr_card_read_pdfs_in_file_mode_only(api: Api) -> None:
    pdf = images.pdf([images.document("chip_id_card_front"), images.document("chip_id_card_back")])
    for path in ("/api/v2/ekyc/card", "/api/v2/ocr/card"):
        body = api.post(f"{path}?format_type=file", data={"img": (io.BytesIO(pdf), "cccd.pdf")}).get_json()
        assert [i["type"] for i in body["data"]] == ["chip_id_card_front", "chip_id_card_back"]
        assert all(set(i) == {"type", "info"} for i in body["data"])
        as_b64 = api.post(f"{path}?format_type=base64", json={"img": base64.b64encode(pdf).decode()}).get_json()
        assert as_b64 == {"errorCode": "3", "errorMessage": "Incorrect image format"}


@pytest.mark.parametrize("pdf", [b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n1 0 obj <<>>", images.pdf([])])
def test_a_corrupt_or_empty_pdf_is_an_incorrect_image(api: Api, pdf: bytes) -> None:
    answer = send(api, ENDPOINTS[5], "file", [pdf])
    assert answer.get_json() == {"errorCode": "3", "errorMessage": "Incorrect image format"}
    assert answer.headers["X-CVS-Mock-Trigger"] in ("input:bad-pdf", "input:pdf-page-count")


def test_a_pdf_where_only_images_are_read_is_an_incorrect_image(api: Api) -> None:
    answer = send(api, ENDPOINTS[3], "file", [images.pdf([images.document("birth_certificate")])])
    assert answer.get_json() == {"errorCode": "3", "errorMessage": "Incorrect image format"}
    assert answer.headers["X-CVS-Mock-Trigger"] == "input:pdf-not-accepted"


def test_regions_are_pinned_by_scenario(api: Api) -> None:
    plates = images.scenario_image(documents=[images.document("vehicle_plate", fields={"plate": "30A-123.45"})] * 2)
    table = images.scenario_image(documents=[images.document("table", fields={"rows": [["1", "Liti", "Li"]]})])
    text = images.scenario_image(documents=[images.document("text_page", fields={"lines": ["Xin chào"]})])
    by_path = {e.name: e for e in ENDPOINTS}
    assert send(api, by_path["ocr/vehicle_plate"], "file", [plates]).get_json()["data"] == [{"plate": "30A-123.45"}] * 2
    assert send(api, by_path["ocr/document/get_table"], "file", [table]).get_json()["data"] == [
        {"info": [["1", "Liti", "Li"]]}
    ]
    page = send(api, by_path["ocr/document/general"], "file", [text]).get_json()["data"][0]
    assert page[0][0][0]["text"] == "Xin chào"


def test_a_document_the_endpoint_does_not_read_is_no_content_with_a_note(api: Api) -> None:
    answer = send(api, ENDPOINTS[3], "file", [images.id_card("passport")])
    assert answer.get_json() == {"errorCode": "1", "errorMessage": "The photo does not contain content"}
    assert answer.headers["X-CVS-Mock-Note"] == "ocr/birth_certificate does not read passport"


def test_an_unserved_path_names_itself_is_journaled_and_never_billed(api: Api) -> None:
    for path in ("/api/v2/ekyc/liveness", "/api/v2/ocr/driving_license", "/api/v3/ocr/card", "/api/v2/ocr/crad"):
        answer = api.get(path + "?img=https://a.vn/x.jpg")
        assert answer.status_code == 404 and answer.headers["X-CVS-Mock-Trigger"] == "route:unknown"
        assert answer.get_json() == {
            "error": "Not Found",
            "message": f"The requested URL {path} was not found on the server.",
            "path": path,
        }
    journal = api.client.get("/__mock__/journal").get_json()["entries"]
    assert [e["path"] for e in journal][-1] == "/api/v2/ocr/crad" and journal[-1]["trigger"] == "route:unknown"
    assert api.client.get("/__mock__/usage").get_json()["usage"] == []


# -- generated papers are consistent, for any person ------------------------------------
SEEDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)


def amount(text: str) -> int:
    return int(text.replace(".", ""))


def day(text: str) -> dt.date:
    d, m, y = map(int, text.split("-"))
    return dt.date(y, m, d)


@settings(max_examples=150)
@given(SEEDS)
def test_generated_papers_add_up_for_any_person(seed: str) -> None:
    p, d = person_for(seed), Dates()
    invoice = BUILDERS["invoice"](p, d)
    assert sum(amount(g["coin"]) for g in invoice["info_goods"]) == amount(invoice["sub_total"])
    assert amount(invoice["sub_total"]) + amount(invoice["vat_amount"]) == amount(invoice["total_amount"])
    assert round(amount(invoice["sub_total"]) * int(invoice["vat_rate"].rstrip("%")) / 100) == amount(
        invoice["vat_amount"]
    )
    assert re.fullmatch(r"0\d{9}", invoice["tax_code"])
    quote = BUILDERS["price_quotation"](p, d)
    assert amount(quote["sub_total"]) + amount(quote["vat_amount"]) == amount(quote["total_amount"])
    assert day(quote["estimated_delivery_date"]) > day(quote["quotation_date"])
    birth = BUILDERS["birth_certificate"](p, d)
    child = day(birth["dob"])
    assert day(birth["father_dob"]).year <= child.year - 22 and day(birth["mother_dob"]).year <= child.year - 20
    assert birth["father_name"].split()[0] == birth["name"].split()[0]  # the father's family name
    assert day(birth["regis_date"]) >= child
    inspection = BUILDERS["picertificate"](p, d)
    assert day(inspection["valid_until"]) > day(inspection["regis_date"])
    business = BUILDERS["business_registration"](p, d)
    assert re.fullmatch(r"\d{10}", business["business_code"])
    number, born = business["number_of_idcard"], day(business["dob"])
    assert number[4:6] == f"{born.year % 100:02d}" and int(number[3]) % 2 == (business["gender"] == "Nữ")
    for doc in ("vehicle_registration_front", "vehicle_registration_back"):
        plate = BUILDERS[doc](p, d)["plate"]
        assert re.fullmatch(r"\d{2}-[A-Z]\d \d{3}\.\d{2}|\d{2}[A-Z]-\d{3}\.\d{2}", plate), plate
    back = BUILDERS["vehicle_registration_back"](p, d)
    assert re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", back["chassis"]) and re.fullmatch(r"[A-Z0-9]+-\d{7}", back["engine"])
    assert re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", inspection["chassis_number"])


def test_error_path_coverage_counts_the_document_endpoints(api: Api) -> None:
    from cvs_testkit.coverage import met

    send(api, ENDPOINTS[4], "file", [images.blank_image()])
    send(api, ENDPOINTS[4], "url")
    api.get("/api/v2/ocr/not-served")
    seen = met(api.client.get("/__mock__/journal").get_json()["entries"])
    assert seen == {("ocr", "error", "1"), ("ocr", "success", "0")}
