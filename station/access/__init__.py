"""Who may do what: people who sign in, and API keys for other systems."""
