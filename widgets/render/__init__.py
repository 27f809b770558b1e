"""HTML from models: every string a view shows is built here, with one escape path (MarkupSafe)."""
