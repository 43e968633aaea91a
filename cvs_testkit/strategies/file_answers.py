"""Answer data of the endpoints that read whole files (claim files, page labels, HR files,
bank statements, credit reports, land certificates) and of Verify Liveness."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cvs_testkit.strategies.values import SEEDS, flow_catalogue, people
from mockserver.generation import finance
from mockserver.generation.claim_files import CLAIM_TYPES
from mockserver.generation.documents import Dates, build_info, schema_type_of, thumbnail
from mockserver.generation.hr_files import HR_TYPES, ONE_PER_FILE
from mockserver.generation.land import LAND_TYPES
from mockserver.generation.people import Person

_PNG = thumbnail("page")


def _info(schema_type: str, pages: int = 1) -> st.SearchStrategy[dict[str, Any]]:
    """An ``info`` of a type as the fake builds it (``hr_`` types an HR file's own), spanning
    up to ``pages`` pages."""

    def build(person: Person, thumb: bool, span: int) -> dict[str, Any]:
        return build_info(schema_type, person, Dates(), {}, thumb, pages=span)

    return st.builds(build, people(), st.booleans(), st.integers(1, pages))


def labels() -> st.SearchStrategy[list[dict[str, Any]]]:
    """A claim file's pages, each with one of the 17 labels or null."""
    from mockserver.contract.loading import load_contract

    known = load_contract().schemas["ocr_document.json"]["$defs"]["claim_label"]["enum"]
    page = st.tuples(st.sampled_from(known), st.booleans())
    return st.lists(page, min_size=1, max_size=4).map(
        lambda pages: [
            {"id": n, "label": label, **({"image": _PNG} if thumb else {})} for n, (label, thumb) in enumerate(pages)
        ]
    )


def _hr_items(kind: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    one = kind in ONE_PER_FILE
    item = _info(f"hr_{kind}", pages=4 if one else 1).map(lambda info: {"type": kind, "info": info})
    return st.lists(item, min_size=1, max_size=1 if one else 2)


def employee_profiles() -> st.SearchStrategy[dict[str, Any]]:
    """An HR file: some kinds present, the others absent; perhaps negative pages."""
    optional: dict[str, st.SearchStrategy[Any]] = {kind: _hr_items(kind) for kind in HR_TYPES}
    optional["image_negative"] = st.lists(st.just(_PNG), min_size=1, max_size=2)
    return st.fixed_dictionaries({}, optional=optional).filter(lambda d: any(k in d for k in HR_TYPES))


def statement_pages() -> st.SearchStrategy[list[dict[str, Any]]]:
    """Pages of a bank statement, one or two tables each, balances that add up."""

    def page(seed: str, tables: int) -> dict[str, Any]:
        rows = [finance.statement_rows(f"{seed}:{k}") for k in range(tables)]
        return {"image_table": [thumbnail("table")] * tables, "json": rows}

    return st.lists(st.builds(page, SEEDS, st.integers(1, 2)), min_size=1, max_size=3)


def whole_file_documents(types: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """One document over a file of up to three pages."""
    return st.sampled_from(types).flatmap(lambda t: _info(t, pages=3).map(lambda info: {"type": t, "info": info}))


def liveness_verdicts() -> st.SearchStrategy[dict[str, Any]]:
    """A Verify Liveness ``data``: any warning, similarities over the whole range."""
    warnings = flow_catalogue("liveness")["warnings"]["codes"]
    percents = st.floats(0, 100, allow_nan=False).map(lambda p: f"{p:.2f}")

    def data(warning: dict[str, Any], left: str, right: str) -> dict[str, Any]:
        return {
            "invalidCode": warning["code"],
            "invalidMessage": warning["message"],
            "matching_mid_left": left,
            "matching_mid_right": right,
            "valid": "True" if warning["code"] == "0" else "False",
        }

    return st.builds(data, st.sampled_from(warnings), percents, percents)


def claim_items() -> st.SearchStrategy[dict[str, Any]]:
    """A document of a claim file, with the claims page's own field list where it has one."""
    return st.sampled_from(CLAIM_TYPES).flatmap(
        lambda t: _info(schema_type_of(t, "claims_")).map(lambda info: {"type": t, "info": info})
    )


def file_answer_data() -> dict[str, st.SearchStrategy[Any]]:
    """``data`` by response schema, for the answers module to wrap in the envelope."""
    return {
        "ocr_claims_response.json": st.lists(claim_items(), min_size=1, max_size=3),
        "ocr_get_label_claim_response.json": labels(),
        "ocr_employee_profile_response.json": employee_profiles(),
        "ocr_bank_statement_response.json": statement_pages(),
        "ocr_credit_report_response.json": whole_file_documents(("credit_report",)),
        "ocr_land_certificate_response.json": whole_file_documents(LAND_TYPES),
    }
