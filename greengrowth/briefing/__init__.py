"""What is handed around in meetings: the slide deck and the annual report (Word and Excel).

Every builder is a pure function of (connection, plan, period, lang) that returns the file's bytes,
built from the same named queries as the pages (collect.py), so a file never says another number
than the screen. No Streamlit here: the pages' buttons and `python -m loaders briefing|report` call
the same functions.
"""
