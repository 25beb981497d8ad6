"""Reads for the audit review: every history row about a complaint, or by a user.

``sources`` finds the history tables and how each relates to a complaint and to firms;
``entries`` turns history rows into entries with field-by-field changes; ``timeline`` holds the
two reads the views call (a complaint's audit timeline, a user's activity).

Each source costs two queries (its rows, then the previous versions the diffs need), plus one
for the users named in foreign keys: the count depends on the number of history tables, never
on the number of entries.
"""
