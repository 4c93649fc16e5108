"""A console page: its handler (page.py), view model (view.py), words and template."""
