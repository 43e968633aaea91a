"""Typed clients of the admin API, generated from contracts/admin.openapi.yaml by
openapi-python-client and openapi-typescript, steer a live fake: force an outcome, make an
image, verify through the journal, reset."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from mockserver import create_app
from mockserver.server import MockServer
from tests.toolchain.tools import HERE, npm_tool, python_tool, run

ADMIN = Path(__file__).resolve().parents[2] / "contracts" / "admin.openapi.yaml"
DEMO = ("demo", "p@55w0rd")
CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    with MockServer(create_app({"TESTING": True})) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def admin_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import importlib

    folder = tmp_path_factory.mktemp("admin-python")
    tool = python_tool("openapi-python-client", "openapi-python-client")
    (folder / "config.yaml").write_text("package_name_override: cvs_admin_client\npost_hooks: []\n")
    done = run(tool, "generate", "--path", str(ADMIN), "--meta", "none", "--config", str(folder / "config.yaml"),
               "--output-path", str(folder / "cvs_admin_client"), cwd=folder)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("cvs_admin_client")
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m.startswith("cvs_admin_client")]:
            del sys.modules[name]


def test_a_generated_python_client_steers_the_fake(admin_client: Any, fake: str) -> None:
    from importlib import import_module

    client = admin_client.Client(base_url=fake + "/__mock__")
    health = import_module("cvs_admin_client.api.probes.get_health").sync(client=client)
    assert health.status.value == "ok" and health.store.value == "memory"
    body = import_module("cvs_admin_client.models.force_outcome_body").ForceOutcomeBody
    flow = import_module("cvs_admin_client.models.flow").Flow
    pending = import_module("cvs_admin_client.api.steer.force_outcome").sync(
        client=client, body=body(flow=flow.OCR, code="4")
    )
    assert pending.pending.additional_properties == {"ocr": 1}
    assert requests.get(fake + CARD, auth=DEMO, timeout=10).json()["errorCode"] == "4"
    counted = import_module("cvs_admin_client.api.inspect.get_journal").sync(
        client=client, flow=flow.OCR, code="4", count=True
    )
    assert type(counted).__name__ == "GetJournalJournalCount" and counted.count == 1
    entries = import_module("cvs_admin_client.api.inspect.get_journal").sync(client=client, flow=flow.OCR)
    assert [e.trigger for e in entries.entries] == ["forced:code"]
    reset = import_module("cvs_admin_client.api.steer.reset").sync(client=client)
    assert reset.status == "reset"


def test_a_typed_typescript_client_steers_the_fake(fake: str, tmp_path: Path) -> None:
    generator, tsc = npm_tool("openapi-typescript", "openapi-typescript"), npm_tool("tsc", "typescript")
    node = shutil.which("node")
    assert node is not None
    done = run(generator, str(ADMIN), "-o", str(tmp_path / "admin.d.ts"))
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.copy(HERE / "typescript" / "steers_the_fake.ts", tmp_path / "steers_the_fake.ts")
    built = run(tsc, "--strict", "--target", "es2020", "--module", "commonjs", "--lib", "es2020,dom",
                "--outDir", str(tmp_path / "out"), "steers_the_fake.ts", cwd=tmp_path)  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    steered = run(node, str(tmp_path / "out" / "steers_the_fake.js"), fake + "/__mock__")
    assert steered.returncode == 0, steered.stdout + steered.stderr
    assert "steered the fake" in steered.stdout


def test_the_typescript_types_refuse_a_misspelt_admin_field(tmp_path: Path) -> None:
    generator, tsc = npm_tool("openapi-typescript", "openapi-typescript"), npm_tool("tsc", "typescript")
    run(generator, str(ADMIN), "-o", str(tmp_path / "admin.d.ts"))
    source = (HERE / "typescript" / "steers_the_fake.ts").read_text(encoding="utf-8")
    (tmp_path / "steers_the_fake.ts").write_text(
        source.replace('{ flow: "ocr", code: "4" }', '{ flow: "ocr", kode: "4" }')
    )
    built = run(tsc, "--strict", "--noEmit", "--target", "es2020", "--module", "commonjs", "--lib", "es2020,dom",
                "steers_the_fake.ts", cwd=tmp_path)  # fmt: skip
    assert built.returncode != 0 and "kode" in built.stdout
