"""Content: the schemas, the one loader and its cache, the cases, the instructor's notes and the live-session
steps. Imports nothing else from the package."""
