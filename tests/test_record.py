"""Frozen records (``briefexport.record``): they behave as frozen dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from briefexport.config import Settings
from briefexport.model import Link, Paragraph, Text
from briefexport.record import record


@record
class Point:
    x: int
    y: int = 0
    label: str = dataclasses.field(default="", compare=False)


@record(eq=False)
class Handle:
    name: str


def test_equal_and_hashed_by_their_compared_fields():
    assert Point(1, 2, "a") == Point(1, 2, "b")
    assert hash(Point(1, 2, "a")) == hash(Point(1, 2, "b"))
    assert Point(1, 2) != Point(2, 1)
    assert len({Point(1), Point(1), Point(2)}) == 2


def test_never_equal_to_another_class_with_the_same_fields():
    @record
    class Other:
        x: int
        y: int = 0
        label: str = ""

    assert Point(1) != Other(1)
    assert Point(1) != (1, 0)


def test_eq_false_keeps_identity():
    a, b = Handle("x"), Handle("x")
    assert a != b and a == a
    assert hash(a) == object.__hash__(a)


@pytest.mark.parametrize("change", [
    lambda p: setattr(p, "x", 5),
    lambda p: setattr(p, "unknown", 5),
    lambda p: delattr(p, "x"),
])
def test_frozen_after_init(change):
    point = Point(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        change(point)
    assert point == Point(1, 2)


def test_repr_shows_the_fields_as_a_dataclass_does():
    assert repr(Point(1, 2, "a")) == "Point(x=1, y=2, label='a')"
    assert repr(Paragraph((Text("x"),))).startswith("Paragraph(children=(Text(text='x'),)")


def test_dataclass_helpers_and_copies_work():
    link = Link("https://example.org", "https://example.org")
    assert dataclasses.is_dataclass(link)
    assert dataclasses.replace(Point(1, 2), y=3) == Point(1, 3)
    assert dataclasses.asdict(Point(1, 2, "a")) == {"x": 1, "y": 2, "label": "a"}
    settings = Settings()
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert copy.deepcopy(settings) == settings
