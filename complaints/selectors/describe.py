"""A history row in words: one sentence ("Final response sent by Ann Lee, upheld, £125.00
redress") and its field changes labelled before → after, for every audited model.

The one describer behind the supervisor's audit trail (page, CSV, PDF), a colleague's activity
and the complaint page's history. Values are read as people read them: verbose names, choice
labels, money as £1,234.56, UK dates, yes/no, a foreign key as what it points at (never an id),
JSON as labelled words and HTML as its text (never raw).

Per-model wording is a registry (``register_describer``), keyed by the model's label, because
the apps above this one (FOS referrals, redress, returns) word their own records; a model with
no describer gets the default: "<Kind> created/changed/deleted by <who>" plus its field changes.
Describers read only the history row and what ``prepare`` fetched for all rows at once, so the
queries stay constant in the number of entries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.html import strip_tags

from common.display import display_value

from .entries import TimelineEntry
from .reasons import reason_parts

type ModelField = models.Field[Any, Any]
# Given one kind of history rows' entries, fetch once what their sentences need.
Prepare = Callable[[list[TimelineEntry]], Any]
# An entry (and what ``prepare`` returned) in words: what happened, then its details.
Sentence = Callable[[TimelineEntry, Any], "Said | None"]
# A related record as a field change names it.
RefLabel = Callable[[Any], str]


@dataclass(frozen=True)
class Said:
    """What happened ("Final response sent") and its details ("upheld", "£125.00 redress")."""

    what: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Describer:
    sentence: Sentence | None = None
    prepare: Prepare | None = None
    # What a foreign key to this model shows; without one, the model's name.
    ref_label: RefLabel | None = None
    # Fields left out of the changes (their words are in the sentence, or they are machinery).
    hidden: frozenset[str] = frozenset()
    # The record in words ("Final response letter"), from the entry's history row.
    subject: Callable[[TimelineEntry], str] | None = None


_DESCRIBERS: dict[str, Describer] = {}


def register_describer(label: str, describer: Describer) -> None:
    """``label``: the model's ``app_label.modelname``. Registered once, from an app's ready()."""
    _DESCRIBERS[label] = describer


def describer_for(model: type[models.Model]) -> Describer:
    return _DESCRIBERS.get(model._meta.label_lower, Describer())


# --- values ----------------------------------------------------------------------------------

_MONEY = re.compile(r"(^|_)(gbp|amount|award|redress|fee|paid|excess)(_|$)")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
# Tags that end a line or a block: a space where they stood, so words do not run together.
_BREAK = re.compile(r"<(br|/?(p|div|li|tr|td|th|h[1-6]|ul|ol|table|blockquote))\b[^>]*>", re.I)
_SPACES = re.compile(r"\s+")
NOTHING = "—"


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


_ACRONYMS = re.compile(r"\b(src|fos|pdf|frn|dpa|sar|gbp|eur|sha256|smf|api|uk)\b", re.IGNORECASE)
# A stored code ("month_end") rather than words: read as words.
_CODE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def _heading(text: str) -> str:
    return capfirst(_ACRONYMS.sub(lambda m: m.group(1).upper(), text))


def field_label(f: ModelField) -> str:
    """A field's verbose name as a heading: "Src deadline" → "SRC deadline"."""
    return _heading(str(f.verbose_name))


def money(value: Decimal | int | float, symbol: str = "£") -> str:
    return f"{symbol}{Decimal(value):,.2f}"


def words_for_key(key: str) -> str:
    """``fos_referral_open_from`` → "FOS referral open from"."""
    return _heading(str(key).replace("_", " ").strip())


def _json_words(value: Any, depth: int = 0) -> str:
    if isinstance(value, dict):
        if not value:
            return "none"
        if depth >= 2:
            return f"{len(value)} item{'' if len(value) == 1 else 's'}"
        return "; ".join(
            f"{words_for_key(k)}: {_json_words(v, depth + 1)}" for k, v in value.items()
        )
    if isinstance(value, list):
        if not value:
            return "none"
        if depth >= 2:
            return f"{len(value)} item{'' if len(value) == 1 else 's'}"
        return ", ".join(_json_words(v, depth + 1) for v in value)
    if isinstance(value, str):
        return plain_text(value)
    if value is None:
        return NOTHING
    return display_value(value)


def plain_text(text: str) -> str:
    """Text as a reader sees it: HTML reduced to its words."""
    if _TAG.search(text):
        return _SPACES.sub(" ", strip_tags(_BREAK.sub(" ", text))).strip()
    return text


def field_value(f: ModelField, value: Any, refs: dict[tuple[type, Any], str]) -> str:
    """One stored value in words (``refs``: related records' labels, fetched in bulk)."""
    if value is None or value == "" or value == {} or value == []:
        return NOTHING
    if f.is_relation and f.related_model is not None:
        return refs.get((f.related_model, value), ref_fallback(f.related_model))
    if f.choices:
        return str(dict(f.flatchoices).get(value, words_for_key(value)))
    if isinstance(f, models.JSONField):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return plain_text(value)
        return _json_words(value)
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        if "eur" in f.name:
            return money(value, "€")
        if _MONEY.search(f.name):
            return money(value)
    if isinstance(value, str):
        return words_for_key(value) if _CODE.match(value) else plain_text(value)
    return display_value(value)


def ref_fallback(model: type[models.Model]) -> str:
    """A related record that is gone (or has no words of its own): its kind, never its id."""
    name = str(model._meta.verbose_name)
    return f"an {name}" if name[:1].lower() in "aeio" else f"a {name}"


def related_labels(
    wanted: dict[type[models.Model], set[Any]], known: Collection[models.Model] = ()
) -> dict[tuple[type, Any], str]:
    """The labels of the related records the changes name: one query per related model that
    has a describer's ``ref_label`` (the rest show their kind), none for the records already
    ``known`` (the complaint page's complainant)."""
    labels: dict[tuple[type, Any], str] = {}
    loaded = {(type(obj), obj.pk): obj for obj in known}
    for model, ids in wanted.items():
        label = describer_for(model).ref_label
        if label is None or not ids:
            continue
        found = {pk: loaded[(model, pk)] for pk in ids if (model, pk) in loaded}
        if len(found) < len(ids):
            found.update(model._base_manager.in_bulk(ids - found.keys()))
        for pk, obj in found.items():
            labels[(model, pk)] = label(obj)
    return labels


# --- sentences -------------------------------------------------------------------------------

_VERBS = {"created": "added", "changed": "changed", "deleted": "deleted"}


def by(entry: TimelineEntry) -> str:
    return "the system" if entry.actor_id is None else entry.actor


def default_said(entry: TimelineEntry) -> Said:
    """ "Note added", "Referral changed", with the use case in words when there is one."""
    what, tail = reason_parts(entry.reason)
    return Said(what or f"{entry.kind} {_VERBS.get(entry.action, entry.action)}", (tail,))


def sentence(entry: TimelineEntry, said: Said) -> str:
    details = [d for d in said.details if d]
    return ", ".join([f"{said.what} by {by(entry)}", *details])


def describe_entries(entries: Iterable[TimelineEntry]) -> None:
    """Give each entry its sentence and subject, and drop the fields its describer hides;
    ``prepare`` runs once per kind of record."""
    by_model: dict[type[models.Model], list[TimelineEntry]] = {}
    for e in entries:
        by_model.setdefault(e.source.model, []).append(e)
    for model, group in by_model.items():
        d = describer_for(model)
        context = d.prepare(group) if d.prepare else None
        for e in group:
            said = (d.sentence(e, context) if d.sentence else None) or default_said(e)
            e.sentence = sentence(e, said)
            if d.subject is not None and e.record is not None:
                e.object_label = d.subject(e)
            if d.hidden:
                e.changes = [c for c in e.changes if c.name not in d.hidden]


def shown(entry: TimelineEntry, name: str) -> str:
    """The entry's record's ``name`` in words, as the change list would show it."""
    f = entry.record._meta.get_field(name)
    return field_value(f, getattr(entry.record, f.attname), entry.refs)


def changed(entry: TimelineEntry, name: str) -> bool:
    return any(c.name == name for c in entry.changes)
