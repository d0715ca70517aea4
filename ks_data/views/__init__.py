"""Display views: the derived figures of ks_data.calc turned into labelled, formatted frames and sentences.

One module per page (goals, overview, economy, comparisons, activities, search) and presentation mode's screens.
"""

from ks_data.views.goals import *  # noqa: F403 - the split's first step: the old names, until the imports move
