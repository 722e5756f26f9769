"""The Meta Cloud API side of the gateway: numbers and their credentials, Meta's inbound
webhook, message templates and the customer-service window."""
