"""Shared code for the book *ICARIA-MM, step by step*.

What the chapters share lives here: where files are (:mod:`icaria.paths`), the
published numbers (:mod:`icaria.published`), arm colours and labels
(:mod:`icaria.style`), the two regimens (:mod:`icaria.regimens`), data loading
with clear errors (:mod:`icaria.data`), the reproduction scorecard
(:mod:`icaria.scorecard`) and the plumbing behind live widgets
(:mod:`icaria.live`). The analyses themselves stay in the notebooks.
"""

__version__ = "0.2.0"
