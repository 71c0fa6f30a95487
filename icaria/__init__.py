"""Shared code for the book *ICARIA-MM, step by step*.

What the chapters share lives here: where files are (:mod:`icaria.paths`), the
published numbers (:mod:`icaria.published`), arm colours and labels
(:mod:`icaria.style`), data loading with clear errors (:mod:`icaria.data`), the
statistics several chapters use (:mod:`icaria.survival`, :mod:`icaria.design`), the
reproduction scorecard (:mod:`icaria.scorecard`), the simulated twin
(:mod:`icaria.twin`) and the live figures (:mod:`icaria.live`). A module that serves
one chapter names it in ``CHAPTER`` (its figures, and analysis the chapter prints
with ``inspect.getsource``). The analysis a student should learn is written out in
the chapters themselves.
"""

__version__ = "0.2.0"
