"""Realistic demo data for ``make demo``: two firms, every role, complaints in every state, and
each capability's records on top. It drives the same services the product uses, so it sits on the
top layer, beside config."""
