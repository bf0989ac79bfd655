"""Server-rendered SVG charts: plain data in, inline SVG markup out.

Every chart is one ``<svg role="img">`` named by its ``<title>`` and ``<desc>`` (both in
``aria-labelledby``), so a screen reader announces what it shows; the page puts the same
numbers in a table beside it. Colours come from CSS classes (``currentColor`` and the
page's CSS variables, see ``.chart`` in ``static/css/app.css``), so light and dark both
work, and nothing carries a ``style`` attribute (strict CSP). Every text goes through
``format_html``; numbers are formatted here, never taken as markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from courses.dashboard import Activity, QuizScores

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 72, 32, 36, 40  # margins around the plot area
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
POINT_RADIUS = 6
MAX_TICKS = 12  # x-axis labels at most, so they never overlap
ALTERNATE_FROM = 7  # with this many x-axis labels, narrow screens show every other one


@dataclass(frozen=True)
class Bar:
    """One bar: its value, its hover label and the x-axis label under it ("" for none)."""

    value: float
    label: str
    tick: str = ""


@dataclass(frozen=True)
class Point:
    """One point of a line: its value, its hover label and its x-axis label."""

    value: float
    label: str
    tick: str = ""


def _num(value: float) -> str:
    """A coordinate or value as short text: 12, 12.5, 0.33."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50… at least ``value`` (1 for nothing)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _y(value: float, y_max: float) -> float:
    return TOP + PLOT_HEIGHT - PLOT_HEIGHT * min(max(value, 0), y_max) / y_max


def _svg(
    *, chart_id: str, title: str, description: str, kind: str, body: SafeString
) -> SafeString:
    return format_html(
        '<svg class="chart chart-{kind}" id="{id}" viewBox="0 0 {w} {h}" width="{w}"'
        ' height="{h}" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}</svg>",
        kind=kind,
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        body=body,
    )


def _grid(y_max: float, unit: str) -> SafeString:
    ticks = [0, y_max / 2, y_max] if (y_max / 2).is_integer() else [0, y_max]
    parts = [
        format_html(
            '<line class="grid" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"></line>'
            '<text class="tick tick-y" x="{tx}" y="{y}" dy="0.35em"'
            ' text-anchor="end">{value}{unit}</text>',
            x1=LEFT,
            x2=WIDTH - RIGHT,
            y=_num(_y(tick, y_max)),
            tx=LEFT - 8,
            value=_num(tick),
            unit=unit,
        )
        for tick in ticks
    ]
    return _join(parts)


def _join(parts: Sequence[str]) -> SafeString:
    """Concatenate markup; any part that is not already safe is escaped."""
    return mark_safe("".join(conditional_escape(part) for part in parts))


def _x_ticks(ticks: Sequence[tuple[float, str]]) -> SafeString:
    """x-axis labels centred under their marks. With many of them every other one gets
    ``tick-alt``, which narrow screens hide (see app.css) so the rest stay apart."""
    alternate = len(ticks) >= ALTERNATE_FROM
    return _join(
        [
            format_html(
                '<text class="tick tick-x{alt}" x="{x}" y="{y}" text-anchor="{anchor}">'
                "{text}</text>",
                alt=" tick-alt" if alternate and index % 2 else "",
                x=_num(x),
                y=HEIGHT - BOTTOM + 26,
                anchor="start" if x < LEFT else "middle",
                text=text,
            )
            for index, (x, text) in enumerate(ticks)
        ]
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    unit: str = "",
) -> SafeString:
    """A bar chart: one ``<rect class="bar">`` per bar (a zero bar has no height), on a
    scale from 0 to a round number at least the largest value."""
    y_max = nice_ceiling(max((bar.value for bar in bars), default=0))
    step = PLOT_WIDTH / max(len(bars), 1)
    width = max(step * 0.7, 1)
    parts = [_grid(y_max, unit)]
    ticks = []
    for index, bar in enumerate(bars):
        x = LEFT + index * step + (step - width) / 2
        y = _y(bar.value, y_max)
        parts.append(
            format_html(
                '<rect class="bar" x="{x}" y="{y}" width="{w}" height="{h}">'
                "<title>{label}</title></rect>",
                x=_num(x),
                y=_num(y),
                w=_num(width),
                h=_num(TOP + PLOT_HEIGHT - y),
                label=bar.label,
            )
        )
        if bar.tick:
            ticks.append((x + width / 2, bar.tick))
    parts.append(_x_ticks(ticks))
    parts.append(_baseline())
    return _svg(
        chart_id=chart_id,
        title=title,
        description=description,
        kind="bars",
        body=_join(parts),
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    y_max: float = 100,
    unit: str = "",
    reference: float | None = None,
    reference_label: str = "",
) -> SafeString:
    """A line through the points, left to right and evenly spaced, one
    ``<circle class="point">`` each; points under ``reference`` (a dashed line, e.g. a
    pass mark) are drawn hollow as well as below it, so colour is never the only cue."""
    inset = POINT_RADIUS * 3
    span = PLOT_WIDTH - 2 * inset
    count = len(points)
    xs = [
        LEFT + inset + (span * i / (count - 1) if count > 1 else span / 2)
        for i in range(count)
    ]
    ys = [_y(point.value, y_max) for point in points]
    every = math.ceil(count / MAX_TICKS) if count else 1
    parts = [_grid(y_max, unit)]
    ticks = []
    if reference is not None:
        # The line across the plot, and its key above the plot, clear of every point.
        y = _num(_y(reference, y_max))
        parts.append(
            format_html(
                '<line class="reference" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"></line>'
                '<line class="reference reference-key" x1="{x1}" x2="{kx}" y1="{ky}" y2="{ky}"></line>'
                '<text class="reference-label" x="{tx}" y="{ky}" dy="0.35em">{label}</text>',
                x1=LEFT,
                x2=WIDTH - RIGHT,
                y=y,
                kx=LEFT + 28,
                ky=TOP / 2 - 2,
                tx=LEFT + 36,
                label=reference_label,
            )
        )
    parts.append(_baseline())
    if count > 1:
        parts.append(
            format_html(
                '<polyline class="line" points="{}"></polyline>',
                " ".join(f"{_num(x)},{_num(y)}" for x, y in zip(xs, ys, strict=True)),
            )
        )
    for index, (point, x, y) in enumerate(zip(points, xs, ys, strict=True)):
        below = reference is not None and point.value < reference
        parts.append(
            format_html(
                '<circle class="point{below}" cx="{x}" cy="{y}" r="{r}">'
                "<title>{label}</title></circle>",
                below=" point-below" if below else "",
                x=_num(x),
                y=_num(y),
                r=POINT_RADIUS,
                label=point.label,
            )
        )
        if point.tick and (index % every == 0 or index == count - 1):
            ticks.append((x, point.tick))
    parts.append(_x_ticks(ticks))
    return _svg(
        chart_id=chart_id,
        title=title,
        description=description,
        kind="line",
        body=_join(parts),
    )


def _baseline() -> SafeString:
    return format_html(
        '<line class="axis" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"></line>',
        x1=LEFT,
        x2=WIDTH - RIGHT,
        y=TOP + PLOT_HEIGHT,
    )


# ---------------------------------------------------------------- the dashboard's charts


def _day(value: date | datetime, pattern: str = "j M Y") -> str:
    """A date, or a moment in the current time zone as templates show it."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, pattern)


def study_activity_chart(activity: Activity, *, chart_id: str) -> SafeString:
    """Actions per day over the activity window; Mondays are labelled on the x axis."""
    busiest = max(activity.days, key=lambda d: (d.actions, d.day))
    if activity.total_actions:
        summary = (
            f"{activity.days_studied} of {len(activity.days)} days studied,"
            f" {activity.total_actions} actions in all; the most in one day:"
            f" {busiest.actions} on {_day(busiest.day, 'l j F')}."
        )
    else:
        summary = f"No study recorded in these {len(activity.days)} days."
    bars = [
        Bar(
            value=day.actions,
            label=f"{_day(day.day, 'D j M')}: {day.actions} action{pluralize(day.actions)}",
            tick=_day(day.day, "j M") if day.day.weekday() == 0 else "",
        )
        for day in activity.days
    ]
    return bar_chart(
        chart_id=chart_id,
        title=f"Study actions per day, {_day(activity.start)} to {_day(activity.end)}",
        description=(
            "Bar chart, one bar per day; an action is a section opened, a quiz answer"
            f" checked or a card reviewed. {summary}"
        ),
        bars=bars,
    )


def quiz_scores_chart(scores: QuizScores, *, chart_id: str) -> SafeString:
    """A quiz's finished full attempts in time order, in percent, with its pass mark."""
    section = scores.section
    points = scores.points
    count = len(points)
    best = scores.best
    passed = "passed" if best >= scores.pass_mark else "not passed yet"
    return line_chart(
        chart_id=chart_id,
        title=f"Quiz scores for {section.number} {section.title}",
        description=(
            f"Line chart of {count} finished attempt{pluralize(count)} in time order,"
            f" from {_day(points[0].finished_at)} to {_day(points[-1].finished_at)}:"
            f" first {points[0].percent} %, latest {points[-1].percent} %,"
            f" best {best} % ({passed}). Dashed line: the pass mark,"
            f" {scores.pass_mark} %."
        ),
        points=[
            Point(
                value=point.percent,
                label=(
                    f"Attempt {n}, {_day(point.finished_at)}:"
                    f" {point.score} of {point.total} ({point.percent} %)"
                ),
                tick=str(n),
            )
            for n, point in enumerate(points, start=1)
        ],
        y_max=100,
        unit=" %",
        reference=scores.pass_mark,
        reference_label=f"Pass mark {scores.pass_mark} %",
    )


def drill_reviews_chart(
    reviews_per_day: Sequence[tuple[date, int]], *, chart_id: str
) -> SafeString:
    """Drill reviews per day over the last days."""
    total = sum(count for _day_, count in reviews_per_day)
    bars = [
        Bar(
            value=count,
            label=f"{_day(day, 'D j M')}: {count} review{pluralize(count)}",
            tick=_day(day, "j M") if index % 7 == 0 else "",
        )
        for index, (day, count) in enumerate(reviews_per_day)
    ]
    first, last = reviews_per_day[0][0], reviews_per_day[-1][0]
    return bar_chart(
        chart_id=chart_id,
        title=f"Drill reviews per day, {_day(first)} to {_day(last)}",
        description=f"Bar chart, one bar per day; {total} review{pluralize(total)} in all.",
        bars=bars,
    )
