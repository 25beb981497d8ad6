"""Pure DISP domain rules: UK business-day calendars, complaint clocks and FOS eligibility.

No Django imports: the models store what these functions compute (see disp-rules.md §6).
"""
