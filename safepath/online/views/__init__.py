"""Pages of the online app: the public report form and status, the hotline's work, the tools."""
