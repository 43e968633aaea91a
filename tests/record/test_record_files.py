"""Claim files, HR files, statements, reports, certificates and liveness verdicts recorded
through the proxy: the people in them leave no trace, the answers still validate and replay."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from cvs_testkit import images
from cvs_testkit.contract import contract, problems_for_schema
from mockserver import create_app
from mockserver.proxy import create_proxy_app
from mockserver.recording.recorder import Recorder
from mockserver.server import MockServer
from tests.record.test_record_replay import call, forms

NAME, ID, PHONE, MAIL = "ĐINH THỊ HỒNG NHUNG", "036198007731", "0987654321", "nhung.dinh@gmail.com"
INSURED = {"name": NAME, "id": ID}
CLAIM = images.pdf(
    [
        images.document(
            "claim_form", fields={"insure_name": NAME, "id_card_no": ID, "cellphone_no": PHONE, "email": MAIL}
        ),
        images.document("chip_id_card_front", fields=INSURED),
        images.document("claim_page", fields={"label": "prescription"}),
    ]
)
HR = images.pdf(
    [
        images.document("id_card", fields=INSURED),
        images.document("curriculum_vitae", fields={"name": NAME}),
        images.document("birth_certificate", fields={"name": NAME, "father_address": "Số 12, Phường Láng Hạ"}),
    ]
)
LAND = images.pdf([images.document("giay_cnqshdd_mau_2", fields={"so_so": "AB 123456"}), None])
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/v2/ocr/claims?format_type=file&get_thumb=true", {"files": {"img": CLAIM}}),
    ("POST", "/api/v2/ocr/document/get_label_claim?format_type=base64", {"json": {"img": images.to_base64(CLAIM)}}),
    ("POST", "/api/v2/ocr/employee_profile?format_type=file&get_thumb=true", {"files": {"img": HR}}),
    ("POST", "/api/v2/ocr/document/bank_statement?format_type=file", {"files": {"img": images.pdf([None, None])}}),
    ("GET", "/api/v2/ocr/document/credit_report?img=https://cdn.example.vn/cic.pdf&get_thumb=true", {}),
    ("POST", "/api/v2/ocr/document/land_certificate?format_type=file", {"files": {"img": LAND}}),
    ("POST", "/api/v2/ekyc/verify_liveness", {"files": images.liveness_shots("nhung")}),
]
PERSONAL = {
    "name", "id", "dob", "address", "hometown", "insure_name", "id_card_no", "cellphone_no", "email", "family_member",
    "father_name", "mother_name", "father_address", "mother_address", "id_card", "ten", "so_cmt", "dia_chi",
    "dia_chi_thua_dat", "head_name", "cic_code", "policy_no", "certificate_no", "regis_place", "place_of_birth",
}  # fmt: skip


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
    folder = tmp_path_factory.mktemp("cassettes")
    with MockServer(create_app({"TESTING": True})) as upstream:
        with MockServer(create_proxy_app(upstream.base_url, record=Recorder(folder, "files"))) as proxy:
            got = [call(proxy.base_url, m, p, k).json() for m, p, k in CALLS]
    yield folder, got


def personal_values(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PERSONAL and isinstance(value, str) and len(value) >= 6:
                found.add(value)
            personal_values(value, found)
    elif isinstance(node, list):
        for value in node:
            personal_values(value, found)
    return found


def interactions(folder: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load((folder / "files.yaml").read_text(encoding="utf-8"))
    return list(data["interactions"])


def test_the_recorded_files_keep_no_one_they_describe(recording: Any) -> None:
    folder, got = recording
    assert all(body["errorCode"] == "0" for body in got)
    stored = (folder / "files.yaml").read_bytes()
    planted = personal_values(got, {NAME, ID, PHONE, MAIL})
    assert len(planted) > 20  # every document of every file names its person
    for value in planted:
        for form in forms(value):
            assert form not in stored, value[:40]


def test_the_scrubbed_answers_validate_keep_their_shape_and_replay(recording: Any) -> None:
    folder, got = recording
    recorded = [json.loads(i["response"]["body"]["string"]) for i in interactions(folder)]
    for (method, path, _), body, original in zip(CALLS, recorded, got, strict=True):
        op = contract().operation(path.split("?")[0], method)
        assert op is not None and problems_for_schema(body, op.schema, "strict") == [], path
        assert json.dumps(sorted(_keys(body))) == json.dumps(sorted(_keys(original))), path
    labels = [page["label"] for page in recorded[1]["data"]]
    assert labels == ["claim_form", "id_doc", "prescription"]  # labels are not personal: kept
    assert recorded[6]["data"]["invalidCode"] == "0" and recorded[6]["data"]["valid"] == "True"
    with MockServer(create_app({"TESTING": True, "REPLAY": str(folder)})) as fake:
        replayed = [call(fake.base_url, m, p, k) for m, p, k in CALLS]
        journal = requests.get(fake.base_url + "/__mock__/journal", timeout=10).json()["entries"]
    assert [r.json() for r in replayed] == recorded
    triggers = [f"replay:files#{n}" for n in range(len(CALLS))]
    assert [r.headers["X-CVS-Mock-Trigger"] for r in replayed] == [e["trigger"] for e in journal] == triggers


def _keys(node: Any, at: str = "") -> list[str]:
    if isinstance(node, dict):
        return [f"{at}/{k}" for k in node] + [p for k, v in node.items() for p in _keys(v, f"{at}/{k}")]
    if isinstance(node, list):
        return [p for v in node[:1] for p in _keys(v, f"{at}/0")]
    return []
