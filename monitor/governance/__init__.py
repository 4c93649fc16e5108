"""Governance of the app inventory, beside the monitoring: the inventory audit (inventory),
listing status and rectification (listing), pre-listing evaluation (evaluate) and traffic
(traffic)."""
