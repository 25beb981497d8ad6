"""UI: thin views, one module per sub-domain (``redress``, ``root_causes``, ``incidents``,
``actions``), the complaint ``panel`` and the MI ``dashboard``; ``urls`` routes them.

Forms type the input, services act, selectors read, and ``complaints.access.require_perm``
declares who may do what on each view.

Re-exported here: ``panel_context``, which the app config hands to ``common.panels``.
"""

from .panel import panel_context

__all__ = ["panel_context"]
