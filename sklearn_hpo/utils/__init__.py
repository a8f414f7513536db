"""Small helpers shared by every layer (random numbers, testing, compatibility).

``_rng`` and ``_testing`` import numpy only. ``_compat`` is the one module of
sklearn-hpo that imports private scikit-learn API; the numerical layers never
import it.
"""
