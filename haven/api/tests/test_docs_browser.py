"""The API docs page works in a real browser under Haven's Content Security Policy."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    # A live-server test empties every table afterwards; put back the ranks the migrations seed.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_the_docs_page_draws_every_operation_without_csp_violations(live_server: Any, page: Any) -> None:
    violations: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "(window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI}`));"
    )
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/api/v1/docs")

    page.locator(".swagger-ui .info .title").wait_for(timeout=120_000)  # a large document, a loaded machine
    assert "Haven API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/tokens/{token_id}/revoke" in [s.replace("\u200b", "") for s in summaries]
    violations += page.evaluate("window.__csp || []")
    assert violations == []
    assert errors == []
