"""The complaints REST API: thin views over complaints.services, scoped by complaints.access."""
