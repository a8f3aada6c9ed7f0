"""Conversations and everything done to them; the front door every front end calls."""
