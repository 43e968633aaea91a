"""Redocly CLI and Spectral lint both bundled files with the configs shipped beside them: no
error and no warning. openapi-generator (PyPI's jar, on Debian's JRE) makes a Java client
from the bundled file with no error and a typed model per answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.contract.loading import contracts_dir
from tests.toolchain.tools import BUNDLED, TOLERANT_BUNDLED, java, npm_tool, python_tool, run

BOTH = pytest.mark.parametrize("bundled", [BUNDLED, TOLERANT_BUNDLED], ids=["strict", "tolerant"])


@BOTH
def test_redocly_finds_no_problem(bundled: Path) -> None:
    redocly = npm_tool("redocly", "@redocly/cli")
    done = run(redocly, "lint", "--config", str(contracts_dir() / "redocly.yaml"), str(bundled), "--format", "stylish")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Your API description is valid" in output
    assert " warning " not in output and " error " not in output, output


@BOTH
def test_spectral_finds_no_problem(bundled: Path) -> None:
    spectral = npm_tool("spectral", "@stoplight/spectral-cli")
    done = run(spectral, "lint", "--ruleset", str(contracts_dir() / "spectral.yaml"), str(bundled),
               "--fail-severity", "hint")  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "No results with a severity of 'hint' or higher found!" in output, output


def test_openapi_generator_makes_a_typed_java_client(tmp_path: Path) -> None:
    java()
    generator = python_tool("openapi-generator-cli", "openapi-generator-cli")
    done = run(generator, "generate", "-g", "java", "-i", str(BUNDLED), "-o", str(tmp_path / "java"))
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert " ERROR " not in output and "Exception in thread" not in output, output[-4000:]
    source = tmp_path / "java" / "src" / "main" / "java" / "org" / "openapitools" / "client"
    assert {p.name for p in (source / "api").glob("*Api.java")} == {
        "OcrApi.java", "FaceMatchingApi.java", "LivenessApi.java", "FaceSearchApi.java", "SmartCropApi.java"
    }  # fmt: skip
    front = (source / "model" / "InfoChipIdCardFront.java").read_text("utf-8")
    assert "public String getName()" in front
    assert "public OcrCardResponse ocrCardUrl(" in (source / "api" / "OcrApi.java").read_text("utf-8")
    assert (source / "model" / "FaceSearchSearchSuccess.java").is_file()
