"""The local API: Letta Conversations, the OpenHands title endpoint and an OpenAI gateway.

Loopback only, bearer token from the keyring, one store shared with the desktop app.
Routes talk to the core through `chinwag.server.adapter`, the one seam to rewire when
the core grows (assistants, compaction, titles).
"""
