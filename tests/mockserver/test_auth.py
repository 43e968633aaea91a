"""HTTP Basic as documented; every hostile Authorization value is refused in the flow's envelope."""

from __future__ import annotations

import base64

import pytest

from mockserver import create_app
from tests.conftest import Api, basic

OCR_PATH = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"
REFUSED = {"errorCode": "5", "errorMessage": "Incorrect Api_key or api_secret"}


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


HOSTILE = {
    "empty": "",
    "scheme only": "Basic",
    "scheme and space": "Basic ",
    "lowercase scheme": "basic " + b64(b"demo:p@55w0rd"),
    "uppercase scheme": "BASIC " + b64(b"demo:p@55w0rd"),
    "bearer": "Bearer " + b64(b"demo:p@55w0rd"),
    "digest": 'Digest username="demo", realm="cvs"',
    "two spaces": "Basic  " + b64(b"demo:p@55w0rd"),
    "leading space": " Basic " + b64(b"demo:p@55w0rd"),
    "trailing space": "Basic " + b64(b"demo:p@55w0rd") + " ",
    "tab separator": "Basic\t" + b64(b"demo:p@55w0rd"),
    "two credentials": "Basic " + b64(b"demo:p@55w0rd") + ", Basic " + b64(b"demo:p@55w0rd"),
    "unpadded base64": "Basic " + b64(b"demo:p@55w0rd").rstrip("="),
    "urlsafe alphabet": "Basic " + base64.urlsafe_b64encode(b"demo:p@55w0rd?>>").decode(),
    "not base64": "Basic ###not-base64###",
    "plain text credentials": "Basic demo:p@55w0rd",
    "no colon": "Basic " + b64(b"demop@55w0rd"),
    "empty user": "Basic " + b64(b":p@55w0rd"),
    "empty secret": "Basic " + b64(b"demo:"),
    "only colon": "Basic " + b64(b":"),
    "several colons": "Basic " + b64(b"demo:p@55w0rd:extra"),
    "secret prefix": "Basic " + b64(b"demo:p@55"),
    "secret with suffix": "Basic " + b64(b"demo:p@55w0rdX"),
    "secret case": "Basic " + b64(b"demo:P@55W0RD"),
    "user case": "Basic " + b64(b"DEMO:p@55w0rd"),
    "unknown user": "Basic " + b64(b"khach:p@55w0rd"),
    "NUL in user": "Basic " + b64(b"demo\x00:p@55w0rd"),
    "NUL in secret": "Basic " + b64(b"demo:p@55w0rd\x00"),
    "non-UTF-8 bytes": "Basic " + b64(b"demo:\xff\xfe\xfd"),
    "Vietnamese secret": "Basic " + b64("demo:mậtkhẩu".encode()),
    "huge": "Basic " + b64(b"demo:" + b"A" * 20_000),
    "huge garbage": "Basic " + "A" * 100_000,
    "whitespace padded secret": "Basic " + b64(b"demo: p@55w0rd "),
    "SQL in user": "Basic " + b64(b"demo' OR '1'='1:x"),
    "CRLF in secret": "Basic " + b64(b"demo:p@55w0rd\r\nX-Admin: 1"),
}


def test_demo_credentials_are_accepted(api: Api) -> None:
    assert api.get(OCR_PATH).get_json()["errorCode"] == "0"


@pytest.mark.parametrize("header", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_header_is_refused(api: Api, header: str) -> None:
    response = api.with_auth(None).get(OCR_PATH, headers={"Authorization": header})
    assert response.status_code == 200
    assert response.get_json() == REFUSED
    assert response.headers["X-CVS-Mock-Trigger"].startswith("auth:")


@pytest.mark.parametrize(
    "path, method, body",
    [
        (
            "/api/v2/ekyc/face_matching?img1=https://a.vn/1&img2=https://a.vn/2",
            "GET",
            {"errorCode": "5", "errorMessage": "Incorrect Api_key or api_secret"},
        ),
        (
            "/api/v2/face_search/images",
            "GET",
            {"result": None, "status_code": 4, "message": "Incorrect Api_key or api_secret"},
        ),
        (
            "/api/v2/smartcrop/crop_person?url=https://a.vn/1&width=3&height=3",
            "GET",
            {"errorCode": 4, "errorMessage": "Incorrect Api_key or api_secret"},
        ),
    ],
)
def test_missing_header_uses_each_flows_envelope(api: Api, path: str, method: str, body: dict) -> None:
    assert api.with_auth(None).open(method, path).get_json() == body


def test_secrets_never_reach_the_journal(api: Api) -> None:
    api.with_auth(basic("demo", "p@55w0rd")).get(OCR_PATH)
    api.with_auth(basic("demo", "doan-sai")).get(OCR_PATH)
    journal = api.client.get("/__mock__/journal").get_data(as_text=True)
    assert "p@55w0rd" not in journal and "doan-sai" not in journal
    assert b64(b"demo:p@55w0rd") not in journal and "[redacted]" in journal


def test_credentials_are_compared_by_digest_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every check, a right secret, a wrong one and an unknown key alike, goes through
    ``hmac.compare_digest`` on two equal-length digests, so its time says nothing of the secret."""
    import hmac

    from mockserver.state.store import tables

    compared: list[tuple[int, int]] = []
    real = hmac.compare_digest

    def spying(a: bytes, b: bytes) -> bool:
        compared.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(tables.hmac, "compare_digest", spying)
    api = Api(create_app({"TESTING": True}).test_client())
    url = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"
    assert api.get(url).get_json()["errorCode"] == "0"
    assert api.with_auth(basic("demo", "wrong secret")).get(url).get_json()["errorCode"] == "5"
    assert api.with_auth(basic("nobody", "p@55w0rd")).get(url).get_json()["errorCode"] == "5"
    assert compared == [(32, 32)] * 3
