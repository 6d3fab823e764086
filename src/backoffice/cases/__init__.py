"""Cases: every exception is a case the back office works until it is closed."""
