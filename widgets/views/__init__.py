"""Views: thin ipywidgets and anywidget front ends over the models and the HTML; `static/` holds their JavaScript
and CSS."""
