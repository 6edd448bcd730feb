"""The capture script: which reply, usage and headers the mock serves for each model request.

A script is a JSON file::

    {
      "description": "free text",
      "seed": 7,                       # for usage numbers an entry does not give
      "rate_limits": null | {...},     # state served before any entry sets one
      "entries": [
        {"id": "main-1",
         "match": {"protocol": "anthropic", "model_contains": "opus", "has_tools": true,
                   "structured": false, "last_user_contains": "TOOLCALL",
                   "after_tool_result": false, "max_tokens_max": 1, "path_contains": "/v1/"},
         "reply": {"text": "…"} | {"tool_call": {"name": "Bash", "input": {…}}} | {"json": null},
         "usage": {… in the provider's own field names …},
         "rate_limits": {…} | null,   # becomes the current state from this response on
         "headers": {"x-extra": "1"},  # more response headers, this response only
         "status": 200,
         "repeat": false}              # true: never used up
      ],
      "fallback": {… an entry without "match", used when nothing else matches …}
    }

Entries are tried in order and used up once served (unless ``repeat``), so a script reads as the
sequence of responses a run is expected to get. Auxiliary requests (titles, quota checks,
classifiers) are usually caught by a ``repeat`` entry placed before the main ones.

Rate-limit states are kept per protocol (the top-level ``rate_limits`` is every protocol's
initial state) and written in the dialect's terms (see each dialect's ``rate_limit_headers``).
Any ``reset_after`` (seconds) inside a state is resolved against the mock's time anchor (its start
time rounded down to 10 minutes) into an absolute ``reset_at`` in Unix seconds, so a capture gets
resets a few hours ahead of the moment it ran, and the log records the absolute value served.
"""

import copy
import hashlib
import json
import threading
import time

ANCHOR_ROUNDING_S = 600


class Script:
    def __init__(self, data, anchor=None):
        self.data = data
        self.anchor = anchor if anchor is not None else int(time.time()) // ANCHOR_ROUNDING_S * ANCHOR_ROUNDING_S
        self.seed = data.get("seed", 1)
        self.entries = [dict(e, _used=False) for e in data.get("entries", [])]
        self.fallback = data.get("fallback", {"id": "fallback", "reply": {"text": "Mock answer."}})
        self.initial_rate_limits = self.resolve_times(data.get("rate_limits"))
        self.states = {}  # protocol -> current rate-limit state
        self.lock = threading.Lock()

    @classmethod
    def load(cls, path, anchor=None):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f), anchor)

    def resolve_times(self, state):
        """Copy of a rate-limit state with every ``reset_after`` turned into ``reset_at``."""
        if state is None:
            return None
        state = copy.deepcopy(state)

        def walk(node):
            if isinstance(node, dict):
                if "reset_after" in node:
                    node["reset_at"] = self.anchor + int(node.pop("reset_after"))
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(state)
        return state

    def rand(self, n, salt=""):
        """A deterministic pseudo-random integer for request ``n``."""
        digest = hashlib.sha256(f"{self.seed}|{n}|{salt}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    def pick(self, summary):
        """Choose the entry for a request and update the current rate-limit state.

        Returns (entry, rate_limit_state_to_serve)."""
        with self.lock:
            chosen = None
            for entry in self.entries:
                if entry["_used"] and not entry.get("repeat"):
                    continue
                if matches(entry.get("match", {}), summary):
                    chosen = entry
                    break
            if chosen is None:
                chosen = self.fallback
            elif not chosen.get("repeat"):
                chosen["_used"] = True
            protocol = summary.get("protocol")
            if "rate_limits" in chosen:
                self.states[protocol] = self.resolve_times(chosen["rate_limits"])
            return chosen, copy.deepcopy(self.states.get(protocol, self.initial_rate_limits))

    def remaining(self):
        return [e.get("id") for e in self.entries if not e["_used"] and not e.get("repeat")]


def matches(match, summary):
    """Whether a request summary (built by the dialect) fits an entry's ``match``."""
    for key, want in match.items():
        if key == "protocol" and summary.get("protocol") != want:
            return False
        if key == "model_contains" and want not in (summary.get("model") or ""):
            return False
        if key == "model_not_contains" and want in (summary.get("model") or ""):
            return False
        if key == "has_tools" and bool(summary.get("n_tools")) != bool(want):
            return False
        if key == "structured" and bool(summary.get("structured_schema") is not None) != bool(want):
            return False
        if key == "last_user_contains" and want not in (summary.get("last_user_text") or ""):
            return False
        if key == "after_tool_result" and bool(summary.get("after_tool_result")) != bool(want):
            return False
        if key == "max_tokens_max" and not (summary.get("max_tokens") is not None and summary["max_tokens"] <= want):
            return False
        if key == "max_tokens_min" and not (summary.get("max_tokens") is None or summary["max_tokens"] >= want):
            return False
        if key == "path_contains" and want not in summary.get("path", ""):
            return False
        if key == "stream" and bool(summary.get("stream")) != bool(want):
            return False
    return True
