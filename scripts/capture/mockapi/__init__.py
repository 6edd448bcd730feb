"""Scripted stand-in for the model APIs of the AI coding CLIs (loopback only).

One HTTP server answers the Anthropic Messages API, the OpenAI Responses and Chat Completions
APIs and the Gemini generateContent API, each in its own module under ``dialects/``. A JSON
"script" (see ``script.py``) chooses, per request, the reply (text or a tool call), the token
usage and extra response headers such as the plan rate-limit headers. Every request served is
appended to ``mock_requests.jsonl``. Run with ``python3 -m mockapi --help`` from scripts/capture.
"""
