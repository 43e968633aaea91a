"""TypeScript types generated from the bundled contract by openapi-typescript: a small file that
reads info.name, data[0].info.id, a Face Search result and a Smart Crop answer compiles under
tsc --strict, and the same file with a misspelt field or an unchecked code does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.toolchain.tools import BUNDLED, HERE, npm_tool, run

READER = HERE / "typescript" / "reads_answers.ts"


def _compile(folder: Path, source: str) -> tuple[int, str]:
    (folder / "reads_answers.ts").write_text(source, encoding="utf-8")
    tsc = npm_tool("tsc", "typescript")
    done = run(tsc, "--noEmit", "--strict", "--target", "es2020", "--module", "es2020",
               "--moduleResolution", "node", "reads_answers.ts", cwd=folder)  # fmt: skip
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def typed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    generator = npm_tool("openapi-typescript", "openapi-typescript")
    folder = tmp_path_factory.mktemp("typescript")
    done = run(generator, str(BUNDLED), "-o", str(folder / "cvs.d.ts"))
    assert done.returncode == 0, done.stdout + done.stderr
    text = (folder / "cvs.d.ts").read_text("utf-8")
    schemas = text.split("export interface components {", 1)[1].split("responses: never", 1)[0]
    assert not re.search(r"\b(data|info|metadata|result)\??: (unknown|Record<string, never>);", schemas)
    return folder


def test_the_reader_compiles_with_the_real_field_types(typed_folder: Path) -> None:
    code, output = _compile(typed_folder, READER.read_text("utf-8"))
    assert code == 0, output


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ((".info.name.toUpperCase()", ".info.nmae.toUpperCase()"), "nmae"),
        (('  if (answer.errorCode !== "0") {\n    return undefined;\n  }\n  const item', "  const item"), "data"),
        (("image.url", "image.uri"), "uri"),
        (("Number.parseFloat(answer.data.matching)", "answer.data.matching * 2"), "TS2362"),
    ],
    ids=["misspelt-field", "code-unchecked", "unknown-image-field", "score-is-a-string"],
)
def test_the_types_refuse_what_the_answers_do_not_have(
    typed_folder: Path, change: tuple[str, str], complaint: str
) -> None:
    source = READER.read_text("utf-8")
    assert change[0] in source
    code, output = _compile(typed_folder, source.replace(change[0], change[1], 1))
    assert code != 0
    assert complaint in output, output
