"""Use cases that write: import a client position snapshot or declare nil (``snapshots``);
compute, approve and submit a return (``returns``). The names other apps, commands and tests
call are these."""

from .returns import return_approve, return_compute, return_submit
from .snapshots import ImportRejected, ImportResult, snapshot_declare_nil, snapshot_import

__all__ = [
    "ImportRejected",
    "ImportResult",
    "return_approve",
    "return_compute",
    "return_submit",
    "snapshot_declare_nil",
    "snapshot_import",
]
