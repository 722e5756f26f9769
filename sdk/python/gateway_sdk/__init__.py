"""Python client for the WhatsApp gateway API."""
