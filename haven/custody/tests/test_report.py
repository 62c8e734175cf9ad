"""C-10: the DMM board lists every child in custody, worst first, with the clock, the next review, the
appropriate adult and the s38(6) status; the monthly Concordat report counts transfers and certificates."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.custody import exports, operations, selectors

pytestmark = pytest.mark.django_db


def _request(detention: Any, staff: Any, **changes: Any) -> None:
    run(
        operations.la_request_record,
        actor=staff["officer"],
        target=detention,
        data={
            "la_requested_at": clock.now().isoformat(),
            "la_authority": "Northshire",
            "la_type": "non_secure",
            **changes,
        },
    )


def test_c10_the_concordat_report_counts_requests_transfers_and_certificates(
    charged: Any, staff: Any, make_child: Any, clock: Any
) -> None:
    transferred = charged()
    _request(transferred, staff)
    clock.travel(timedelta(hours=3))
    run(
        operations.la_response_record,
        actor=staff["officer"],
        target=transferred,
        data={
            "la_response": "accepted",
            "la_response_at": clock.now().isoformat(),
            "transferred_at": clock.now().isoformat(),
        },
    )
    certified = charged(about=make_child("Ava", "Lee", age=16), custody_reference="NS-2")
    run(
        operations.certificate_record,
        actor=staff["officer"],
        target=certified,
        data={
            "reason": "impracticable",
            "circumstances": ["no_bed"],
            "details": "No beds.",
            "monitoring_inspector": "custodyinsp",
        },
    )
    report = selectors.concordat_report(user=staff["inspector"])
    month = report.current
    assert (month.charged_and_detained, month.transfers_requested, month.transferred, month.certificates) == (
        2,
        1,
        1,
        1,
    )
    assert month.by_reason == {"impracticable": 1}
    assert month.flagged == 1
    assert month.median_hours is not None
    assert 2.9 <= month.median_hours <= 3.1
    table = exports.rows(report)
    assert table[0][0] == "Month"
    assert table[-1][1:4] == [2, 1, 1]
    assert len(table) == 13  # the header and 12 months


def test_c10_report_page_csv_xlsx_and_api(client: Any, charged: Any, staff: Any) -> None:
    charged()
    sign_in(client, staff["inspector"])
    page = client.get("/custody/report/")
    assert page.status_code == 200
    assert b"Concordat report" in page.content
    csv = client.get("/custody/report/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0].startswith("Month,Charged and kept in custody")
    xlsx = client.get("/custody/report/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        assert "Charged and kept in custody" in book.read("xl/sharedStrings.xml").decode()
    api = client.get("/api/v1/custody/report")
    assert api.status_code == 200
    assert api.json()[-1]["charged_and_detained"] == 1


def test_c10_the_report_is_the_inspectors(client: Any, staff: Any) -> None:
    sign_in(client, staff["officer"])
    assert client.get("/custody/report/").status_code in (403, 404)
    assert client.get("/api/v1/custody/report").status_code in (403, 404)


def test_the_reports_last_month_is_chosen_from_months_in_words(client: Any, staff: Any, clock: Any) -> None:
    sign_in(client, staff["inspector"])
    this_month = clock.now().strftime("%B %Y")

    page = client.get("/custody/report/").content.decode()

    assert f"selected>{this_month}</option>" in page
    assert "For example, 20" not in page  # no "2026-11" to type
    earlier = client.get("/custody/report/?month=2026-03").content.decode()
    assert 'value="2026-03" selected>March 2026</option>' in earlier
