"""Streamlit glue: cached data access, URL-backed filters, page chrome. The only UI-aware package
besides pages/ and dashboard.py."""
