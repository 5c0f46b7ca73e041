"""Domain logic as plain functions that take a session, flush and never commit.

Small nouns are single modules (activity, groups, mail, people, search); a
capability with several parts is a package whose ``__init__`` says what it owns and
what it may use: programme, recruitment, selection, digest, attention and privacy.
Services never import views, forms or Flask request globals.
"""
