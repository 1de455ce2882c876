"""Frozen records: ``@dataclass(frozen=True)`` at a fifth of its start-up cost.

Python 3.11's dataclasses compile six methods of every frozen class with ``exec``
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``): about
0.8 ms a class, some 30 ms of every start of the command over the model and the settings.
:func:`record` has dataclasses compile ``__init__`` alone and gives every record the same five
other methods, which read the field names the decorator stored on the class.

A record behaves as a frozen dataclass: it is a dataclass (``fields``, ``replace``, ``asdict``,
``__post_init__``, ``field()`` and pickling work), equal to another of the same class with
equal fields and hashed by them (unless ``eq=False``: identity, as for a dataclass), and
assigning or deleting a field raises :class:`dataclasses.FrozenInstanceError`.  ``__init__``
sets each field once; a ``__post_init__`` that computes a field sets it with
``object.__setattr__``, as with a frozen dataclass.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

_C = TypeVar("_C", bound=type)


def _setattr(self: Any, name: str, value: Any) -> None:
    # __init__ assigns each field once, into an empty slot of the instance dict.
    if name in self.__dict__ or name not in self.__record_fields__:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _eq(self: Any, other: Any) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    names = self.__record_compare__
    return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, n) for n in self.__record_hash__))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _make(cls: _C, eq: bool, kw_only: bool) -> _C:
    made: Any = dataclasses.dataclass(cls, repr=False, eq=False, kw_only=kw_only)
    fields = dataclasses.fields(made)
    made.__record_fields__ = frozenset(f.name for f in fields)
    made.__record_repr__ = tuple(f.name for f in fields if f.repr)
    made.__setattr__ = _setattr
    made.__delattr__ = _delattr
    if "__repr__" not in made.__dict__:
        made.__repr__ = _repr
    if eq:
        made.__record_compare__ = tuple(f.name for f in fields if f.compare)
        made.__record_hash__ = tuple(f.name for f in fields
                                     if (f.compare if f.hash is None else f.hash))
        made.__eq__ = _eq
        made.__hash__ = _hash
    return made


@overload
def record(cls: _C, /) -> _C: ...
@overload
def record(*, eq: bool = True, kw_only: bool = False) -> Callable[[_C], _C]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: _C | None = None, /, *, eq: bool = True,
           kw_only: bool = False) -> _C | Callable[[_C], _C]:
    """Make ``cls`` a frozen record (see the module's docstring): ``@record`` or
    ``@record(eq=False)`` (identity equality) or ``@record(kw_only=True)``."""
    if cls is None:
        return lambda c: _make(c, eq, kw_only)
    return _make(cls, eq, kw_only)
