"""UI: thin views, one module per sub-domain (``redress``, ``root_causes``, ``incidents``,
``actions``), the complaint ``panel`` and the MI ``dashboard``; ``urls`` routes them.

Forms type the input, services act, selectors read, and ``complaints.access.require_perm``
declares who may do what on each view.
"""
