"""Word lists the steps read: the loaded-term lexicon, CC-CEDICT glosses, news outlets (corpora/lexicons)."""
