"""The console pages, one package each: handler, view model, words and template side by side."""
