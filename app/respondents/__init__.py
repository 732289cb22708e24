"""Respondents' anonymous sessions: storage, resume codes, retention."""
