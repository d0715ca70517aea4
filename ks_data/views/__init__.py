"""Display views: the derived figures of ks_data.calc turned into labelled, formatted frames and sentences.

One module per page, mirroring app.py and pages/: overview, goals, economy, comparisons, activities, search; presentation
mode's screens in presentation; the helpers every page uses in common.

Pure functions (no Streamlit), so every caption and table a page shows is unit-tested.
"""
