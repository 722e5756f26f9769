"""The dashboard at ``/dashboard``: server-rendered pages for a customer (signed in with an
API key) and an operator (signed in with the admin token)."""
