"""Stores: the learner's progress and the live sessions (SQLite or PostgreSQL through SQLAlchemy)."""
