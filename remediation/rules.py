# Transitional: the DISP 1.4.1R rules are guards in complaints.guards now; the imports of this
# module's old names move there once the remediation packages settle.
from complaints.guards import redress_decision_enforced as enforce_redress_decision
from complaints.guards import redress_decision_gap

__all__ = ["enforce_redress_decision", "redress_decision_gap"]
