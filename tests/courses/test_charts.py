"""The SVG chart builders: plain data in, well-formed, accessible, escaped SVG out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from courses import charts
from courses.charts import Bar, Point, bar_chart, line_chart, nice_ceiling
from courses.dashboard import Activity, DayCount, QuizScores, ScorePoint


def _parse(svg: str) -> ElementTree.Element:
    """The chart as XML: it must be well-formed on its own, not only as HTML."""
    return ElementTree.fromstring(svg)


def _marks(root: ElementTree.Element, tag: str, css_class: str) -> list:
    return [
        element
        for element in root.iter(tag)
        if css_class in (element.get("class") or "").split()
    ]


def _bars(values: list[int]) -> list[Bar]:
    return [Bar(value=v, label=f"day {n}: {v}") for n, v in enumerate(values)]


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = bar_chart(
        chart_id="demo", title="Actions", description="Three days.", bars=_bars([1])
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "demo-title demo-desc"
    title, desc = root[0], root[1]  # first, so assistive technology finds them
    assert (title.tag, title.get("id"), title.text) == (
        "title",
        "demo-title",
        "Actions",
    )
    assert (desc.tag, desc.get("id"), desc.text) == ("desc", "demo-desc", "Three days.")
    assert root.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"


def test_every_text_is_escaped():
    hostile = '<script>alert("x")</script> & "quotes"'
    svg = line_chart(
        chart_id='x" onload="alert(1)',
        title=hostile,
        description=hostile,
        points=[Point(value=50, label=hostile, tick=hostile)],
        reference=70,
        reference_label=hostile,
    )
    assert "<script>" not in svg
    assert 'onload="' not in svg
    root = _parse(svg)
    assert root.find("title").text == hostile
    assert root.find("desc").text == hostile
    assert root.get("id") == 'x" onload="alert(1)'
    svg = bar_chart(
        chart_id="b",
        title=hostile,
        description=hostile,
        bars=[Bar(1, hostile, tick=hostile)],
    )
    assert "<script>" not in svg
    assert _parse(svg).find("rect/title").text == hostile


def test_colours_come_from_css_classes_never_from_style_attributes():
    bars = bar_chart(chart_id="a", title="t", description="d", bars=_bars([3, 0, 5]))
    line = line_chart(
        chart_id="b",
        title="t",
        description="d",
        points=[Point(40, "1"), Point(90, "2")],
        reference=70,
    )
    for svg in (bars, line):
        assert "style=" not in svg
        assert "fill=" not in svg
        assert "stroke=" not in svg
        assert "#" not in svg  # no hex colour anywhere


def test_a_bar_chart_draws_one_bar_per_value_in_scale():
    root = _parse(
        bar_chart(
            chart_id="a", title="t", description="d", bars=_bars([0, 2, 5, 10, 7])
        )
    )
    rects = _marks(root, "rect", "bar")
    assert len(rects) == 5
    heights = [float(rect.get("height")) for rect in rects]
    assert heights[0] == 0
    # The scale runs to 10, a round number at least the largest value: 10 fills the plot.
    assert heights[3] == charts.PLOT_HEIGHT
    assert heights[1] == pytest.approx(charts.PLOT_HEIGHT * 2 / 10)
    assert heights[4] == pytest.approx(charts.PLOT_HEIGHT * 7 / 10)
    bottoms = {float(r.get("y")) + float(r.get("height")) for r in rects}
    assert bottoms == {charts.TOP + charts.PLOT_HEIGHT}  # all stand on the axis
    xs = [float(rect.get("x")) for rect in rects]
    assert xs == sorted(xs)  # left to right in the order given
    assert [r.find("title").text for r in rects][3] == "day 3: 10"
    labels = [t.text for t in _marks(root, "text", "tick-y")]
    assert labels == ["0", "5", "10"]


def test_a_bar_chart_labels_only_the_bars_with_a_tick():
    bars = [Bar(1, "a", tick="Mon"), Bar(2, "b"), Bar(3, "c", tick="Mon")]
    root = _parse(bar_chart(chart_id="a", title="t", description="d", bars=bars))
    assert [t.text for t in _marks(root, "text", "tick-x")] == ["Mon", "Mon"]


def test_a_bar_chart_of_nothing_still_has_a_scale():
    root = _parse(
        bar_chart(chart_id="a", title="t", description="d", bars=_bars([0, 0]))
    )
    assert [float(r.get("height")) for r in _marks(root, "rect", "bar")] == [0, 0]
    assert [t.text for t in _marks(root, "text", "tick-y")] == ["0", "1"]


def test_a_line_chart_draws_one_point_per_value_and_a_line_through_them():
    points = [
        Point(40, "first", "1"),
        Point(60, "second", "2"),
        Point(100, "third", "3"),
    ]
    root = _parse(
        line_chart(chart_id="q", title="t", description="d", points=points, unit=" %")
    )
    circles = _marks(root, "circle", "point")
    assert len(circles) == 3
    ys = [float(c.get("cy")) for c in circles]
    bottom, top = charts.TOP + charts.PLOT_HEIGHT, charts.TOP
    assert ys[2] == top  # 100 % at the top of the scale
    assert ys[0] == pytest.approx(bottom - charts.PLOT_HEIGHT * 0.4)
    xs = [float(c.get("cx")) for c in circles]
    assert xs == sorted(xs)
    line = _marks(root, "polyline", "line")
    assert len(line) == 1
    assert len(line[0].get("points").split()) == 3
    assert [t.text for t in _marks(root, "text", "tick-y")] == ["0 %", "50 %", "100 %"]
    assert [t.text for t in _marks(root, "text", "tick-x")] == ["1", "2", "3"]
    assert [c.find("title").text for c in circles] == ["first", "second", "third"]


def test_a_line_chart_of_one_point_has_no_line():
    root = _parse(
        line_chart(chart_id="q", title="t", description="d", points=[Point(80, "a")])
    )
    assert len(_marks(root, "circle", "point")) == 1
    assert not _marks(root, "polyline", "line")


def test_the_reference_line_sits_at_its_value_and_points_under_it_are_hollow():
    points = [Point(50, "a"), Point(70, "b"), Point(90, "c")]
    root = _parse(
        line_chart(
            chart_id="q",
            title="t",
            description="d",
            points=points,
            reference=70,
            reference_label="Pass mark 70 %",
        )
    )
    reference, key = _marks(root, "line", "reference")
    assert "reference-key" in key.get("class")  # the key above the plot
    assert float(key.get("y1")) < charts.TOP
    expected = charts.TOP + charts.PLOT_HEIGHT * 0.3
    assert float(reference.get("y1")) == pytest.approx(expected)
    assert _marks(root, "text", "reference-label")[0].text == "Pass mark 70 %"
    below = [c.find("title").text for c in _marks(root, "circle", "point-below")]
    assert below == ["a"]  # 70 reaches the mark


def test_many_points_keep_their_marks_but_thin_out_their_labels():
    points = [Point(n, f"p{n}", str(n)) for n in range(1, 31)]
    root = _parse(line_chart(chart_id="q", title="t", description="d", points=points))
    assert len(_marks(root, "circle", "point")) == 30
    ticks = [t.text for t in _marks(root, "text", "tick-x")]
    assert len(ticks) <= charts.MAX_TICKS + 1
    assert ticks[0] == "1"
    assert ticks[-1] == "30"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (1, 1), (2, 2), (3, 5), (5, 5), (7, 10), (10, 10), (11, 20), (99, 100)],
)
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected


def test_the_activity_chart_says_what_it_shows():
    days = [DayCount(date(2026, 3, 2 + n), 0) for n in range(7)]  # Monday to Sunday
    days[2] = DayCount(date(2026, 3, 4), 4)
    days[5] = DayCount(date(2026, 3, 7), 1)
    svg = charts.study_activity_chart(Activity(days), chart_id="activity")
    root = _parse(svg)
    assert root.find("title").text == "Study actions per day, 2 Mar 2026 to 8 Mar 2026"
    desc = root.find("desc").text
    assert "2 of 7 days studied, 5 actions in all" in desc
    assert "the most in one day: 4 on Wednesday 4 March." in desc
    rects = _marks(root, "rect", "bar")
    assert [r.find("title").text for r in rects][2] == "Wed 4 Mar: 4 actions"
    assert [r.find("title").text for r in rects][5] == "Sat 7 Mar: 1 action"
    assert [t.text for t in _marks(root, "text", "tick-x")] == ["2 Mar"]  # Mondays


def test_the_activity_chart_of_an_idle_window_says_so():
    days = [DayCount(date(2026, 3, 1 + n), 0) for n in range(3)]
    desc = _parse(charts.study_activity_chart(Activity(days), chart_id="a")).find(
        "desc"
    )
    assert desc.text.endswith("No study recorded in these 3 days.")


def test_the_quiz_scores_chart_says_what_it_shows():
    section = SimpleNamespace(number="15.1", title="What are <Foundation> Models?")
    quiz = SimpleNamespace(section=section, pass_mark=70)

    def at(day: int) -> datetime:
        return datetime(2026, 3, day, 10, 0, tzinfo=UTC)

    scores = QuizScores(
        quiz=quiz,
        points=[
            ScorePoint(at(2), 4, 10, 40, False),
            ScorePoint(at(5), 9, 10, 90, True),
            ScorePoint(at(9), 7, 10, 70, True),
        ],
    )
    svg = charts.quiz_scores_chart(scores, chart_id="quiz-1-chart")
    root = _parse(svg)
    assert root.get("id") == "quiz-1-chart"
    assert (
        root.find("title").text == "Quiz scores for 15.1 What are <Foundation> Models?"
    )
    assert root.find("desc").text == (
        "Line chart of 3 finished attempts in time order, from 2 Mar 2026 to"
        " 9 Mar 2026: first 40 %, latest 70 %, best 90 % (passed). Dashed line:"
        " the pass mark, 70 %."
    )
    labels = [c.find("title").text for c in _marks(root, "circle", "point")]
    assert labels == [
        "Attempt 1, 2 Mar 2026: 4 of 10 (40 %)",
        "Attempt 2, 5 Mar 2026: 9 of 10 (90 %)",
        "Attempt 3, 9 Mar 2026: 7 of 10 (70 %)",
    ]
    assert _marks(root, "text", "reference-label")[0].text == "Pass mark 70 %"
