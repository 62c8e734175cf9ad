"""The DMM pack (D-02): the 30-day chart drawn into it, whatever is overdue marked (a red band and the
word, so it shows in black and white too), a closed meeting's board in words (no ids, no rule ids),
and names printed as written: an emoji from the emoji font, a word too long for its cell broken
rather than running off the page."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.dmm.pdf import pack_build, pack_pdf, trend_svg
from haven.dmm.tests.meetings import action, close, decide, start
from haven.ui.pdf import embedded_fonts, emoji_font_installed

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)


def test_the_trend_chart_is_an_svg_line_per_series_with_its_figure_now() -> None:
    trend = {
        "labels": [f"{d:02d} Nov" for d in range(1, 30)] + ["Now"],
        "series": [
            {"key": "missing", "label": "Missing", "values": [0] * 29 + [3]},
            {"key": "overdue", "label": "Overdue deadlines", "values": [1] * 30},
        ],
    }
    svg = str(trend_svg(trend))
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert svg.count("<polyline") == 2
    assert "Missing: 3" in svg
    assert "Overdue deadlines: 1" in svg
    assert ">Now<" in svg
    assert 'aria-label="Line chart, 01 Nov to Now: Missing from 0 to 3; Overdue deadlines from 1 to 1"' in svg


def test_the_chart_escapes_what_it_is_given() -> None:
    trend = {"labels": ["<b>"], "series": [{"key": "x", "label": "<script>", "values": [1]}]}
    svg = str(trend_svg(trend))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_an_open_meetings_pack_has_the_chart_and_marks_what_is_overdue(
    inspector: Any, officer: Any, board_episode: Any, make_deadline: Any
) -> None:
    episode = board_episode(officer, next_review_due=clock.now() - timedelta(minutes=20))
    make_deadline(officer, episode.case, clock.now() - timedelta(hours=2), what="Late thing")
    meeting = start(inspector)
    decide(meeting, episode.case, inspector, action(officer, hours=1, what="Search the park"))
    with clock.moved(timedelta(hours=2)):  # the action is now an hour late
        html = pack_build(user=inspector, meeting=meeting).html

    assert "<svg" in html
    assert "<polyline" in html
    overdue_rows = [r for r in _rows(html) if 'class="overdue"' in r]
    assert any("Late thing" in r for r in overdue_rows)  # the overdue section
    assert any(episode.child.forenames in r and "Risk" in r for r in overdue_rows)  # the review is overdue
    assert any("Search the park" in r and "Overdue" in r for r in overdue_rows)  # an open action past due
    assert 'class="overdue">Overdue:' in html  # the header's count of overdue deadlines


def test_a_closed_meetings_pack_gives_the_kept_board_in_words(
    inspector: Any, officer: Any, board_episode: Any, make_deadline: Any
) -> None:
    episode = board_episode(officer)
    deadline = make_deadline(officer, episode.case, clock.now() - timedelta(hours=2), what="Late thing")
    meeting = start(inspector)
    close(inspector, meeting)

    html = pack_build(user=inspector, meeting=meeting).html

    late = [r for r in _rows(html) if "Late thing" in r]
    assert late
    assert all('class="overdue"' in r for r in late)
    assert "overdue by 2 h" in late[0]
    assert str(deadline.public_id) not in html  # ids and rule ids stay in the record, not on paper
    assert "rule_id" not in html
    assert deadline.rule_id not in html
    assert "<svg" in html


def test_the_pack_prints_a_name_with_an_emoji_and_breaks_a_word_too_long_for_its_cell(
    inspector: Any, officer: Any, board_episode: Any, make_child: Any
) -> None:
    from weasyprint import HTML

    if not emoji_font_installed():
        message = "The emoji font is not installed: apt-get install fonts-noto-color-emoji (.ci/run does)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    long_word = ("Wolfeschlegelsteinhausenbergerdorff" * 6)[:200]  # the longest surname the register takes
    child = make_child("Zoë 🌈", long_word)
    board_episode(officer, child=child)
    meeting = start(inspector)

    pdf = pack_pdf(user=inspector, meeting=meeting)
    assert "Noto-Color-Emoji" in embedded_fonts(pdf)  # the rainbow, from the emoji font
    assert "Liberation-Sans" in embedded_fonts(pdf)  # the digits and letters, not from it

    document = HTML(string=pack_build(user=inspector, meeting=meeting).html).render()
    for page in document.pages:
        right = page._page_box.content_box_x() + page._page_box.width  # the content's right edge
        for box in page._page_box.descendants():
            text = getattr(box, "text", "")
            if text:
                assert box.position_x + box.width <= right + 1, f"“{text[:30]}…” runs off the page"


def test_a_kept_row_of_any_section_is_in_words_whatever_its_times_look_like() -> None:
    from haven.dmm.pdf import _kept_row

    words, overdue = _kept_row(
        "returned",
        {
            "found_at": "2026-12-06T16:02:00+00:00",
            "review_date": "2026-11-25",
            "noted_at": "2026-12-06T16:02:00",  # no time zone
            "episode": "5b5e52d1-7ec5-417d-ad80-4ed4182ff49b",
            "rhi_requested": True,
        },
    )
    assert words == "found at: 6 Dec 16:02; review date: 25 Nov 2026; noted at: 6 Dec 16:02; rhi requested: yes"
    assert not overdue
