"""Build tools no lesson kernel imports: the landing page, serving, slides and handouts."""
