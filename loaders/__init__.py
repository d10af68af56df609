"""The way in: Excel templates, reading and validating workbooks, ingestion, demo data."""
