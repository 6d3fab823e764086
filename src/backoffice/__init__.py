"""Back-office controls for a telecom and cloud reseller."""
