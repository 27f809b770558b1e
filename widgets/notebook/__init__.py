"""What a notebook cell calls: `learner` backs `from widgets import ...` in the lessons, `instructor` the
instructor's notebooks."""
