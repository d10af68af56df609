"""Start the dashboard: `python -m ui.serve run dashboard.py [streamlit options]` (used by `make run`).

Streamlit still treats a folder named pages/ beside the entry script as an old-style multipage app
until the first st.navigation call; on a fresh server the first session's first run then goes through
that old path and can drop its first widget event. We use st.navigation only, so the launcher says so
before the server starts. `streamlit run dashboard.py` works too, with that first-run glitch.
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.exit(main())
