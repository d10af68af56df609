"""Core of the Bình Dương green growth dashboard: data, queries, charts, strings; no Streamlit."""
