#!/usr/bin/python3
"""The desktop app end to end: the real debug binary, started by tauri-driver under a virtual
display, receives Claude Code's captured OTLP logs (timestamps moved to now) and must show the new
spend both in its window (read through WebDriver) and in its tray label (read from the
StatusNotifierItem on the session bus, as a desktop panel would). Also writes a tool's telemetry
settings through the app's command, and saves a screenshot of the window.

Prints one line per check and `N passed, M failed`; exit status 1 when any check failed."""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.request

from webdriver import Session, WebDriverError

CHECKS = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    CHECKS["passed" if condition else "failed"] += 1
    print(f"{'ok  ' if condition else 'FAIL'} {name}" + (f": {detail}" if detail and not condition else ""), flush=True)
    return condition


def shell_entries(log_path, kind):
    entries = []
    try:
        with open(log_path) as log:
            for line in log:
                entry = json.loads(line)
                if kind in entry:
                    entries.append(entry)
    except FileNotFoundError:
        pass
    return entries


def tray_states(log_path):
    return shell_entries(log_path, "label")


def notifications(log_path):
    return [entry["notification"] for entry in shell_entries(log_path, "notification")]


def wait_for_tray(log_path, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        matching = [state for state in tray_states(log_path) if predicate(state)]
        if matching:
            return matching[-1]
        time.sleep(0.25)
    states = tray_states(log_path)
    return {"missing": True, "last": states[-1] if states else None}


def wait_until(probe, timeout):
    """The first answer of `probe` that is not None within `timeout` seconds, else None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found is not None:
            return found
        time.sleep(0.25)
    return None


def process_entries():
    """(pid, parent pid, command line) of every process."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{name}/cmdline", "rb") as cmdline:
                command = cmdline.read().split(b"\0")[0].decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
        yield int(name), parent, command


def process_of(binary):
    """The oldest process running `binary`."""
    target = os.path.realpath(binary)
    found = sorted(pid for pid, _, command in process_entries() if command and os.path.realpath(command) == target)
    return found[0] if found else None


def process_name(pid):
    try:
        with open(f"/proc/{pid}/comm") as comm:
            return comm.read().strip()
    except OSError:
        return ""


def children_of(pid):
    return [child for child, parent, _ in process_entries() if parent == pid]


def tree_rss_mib(pid):
    total = 0
    for member in [pid, *children_of(pid)]:
        try:
            with open(f"/proc/{member}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def logs_with_fresh_timestamps(fixture):
    """The captured request, every record moved so the newest one is a second ago."""
    with open(fixture) as body:
        request = json.load(body)
    records = [record for resource in request["resourceLogs"] for scope in resource["scopeLogs"] for record in scope["logRecords"]]
    newest = max(int(record["timeUnixNano"]) for record in records)
    shift = time.time_ns() - 1_000_000_000 - newest
    for record in records:
        for key in ("timeUnixNano", "observedTimeUnixNano"):
            if key in record:
                record[key] = str(int(record[key]) + shift)
        for attribute in record.get("attributes", []):
            if attribute["key"] == "event.timestamp":
                moved = (int(record["timeUnixNano"])) / 1e9
                attribute["value"]["stringValue"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moved)) + f".{int(moved * 1000) % 1000:03d}Z"
    return json.dumps(request).encode()


# The requests in the captured session files desktop-app.sh puts into HOME (codex-json-plain and
# gemini-plain; the fixtures' expected.json, per session).
IMPORTED_REQUESTS = {"codex": 1, "gemini": 1}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", required=True)
    parser.add_argument("--webdriver", required=True)
    parser.add_argument("--otlp-port", type=int, required=True)
    parser.add_argument("--api-port", type=int, required=True)
    parser.add_argument("--tray-log", required=True)
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--screenshot", required=True)
    args = parser.parse_args()

    started = time.monotonic()
    session = Session(args.webdriver, args.app)
    try:
        first = wait_for_tray(args.tray_log, lambda state: state["label"].endswith(" today"), timeout=60)
        check("the tray shows today's spend after start", first.get("label") == "$0.00 today", json.dumps(first))
        print(f"     tray ready {time.monotonic() - started:.1f} s after the session was requested", flush=True)
        # A new user's empty database: the window opens on the welcome, with a row per assistant.
        # Codex CLI and Gemini CLI left session files in this HOME (desktop-app.sh copied captured
        # ones); Claude Code left none.
        welcome = session.wait_for_text("[data-testid=welcome]", lambda text: "Gemini CLI" in text and "session files" in text and "Looking for" not in text)
        found = {tool: session.attribute(f"[data-testid=welcome-files-{tool}]", "data-value") for tool in ("claude-code", "codex", "gemini")}
        check(
            "an empty database opens on the welcome, one row per assistant, with the session files found",
            all(f"{name}" in welcome for name in ("Claude Code", "Codex CLI", "Gemini CLI")) and found == {"claude-code": "0", "codex": "1", "gemini": "1"},
            f"files {found}: {welcome[:300]}",
        )
        # Set up one assistant from the welcome: Codex CLI's telemetry settings, previewed, then written.
        session.click("[data-testid=welcome-config-codex-preview]")
        session.click("[data-testid=welcome-config-codex-apply]")
        try:
            applied = session.wait_for_text("[data-testid=welcome-config-codex-applied]", lambda text: bool(text), timeout=30)
        except WebDriverError as error:
            applied = str(error)
        codex_config = os.path.join(args.home, ".codex", "config.toml")
        config = open(codex_config).read() if os.path.exists(codex_config) else ""
        check(
            "the welcome sets up Codex CLI's telemetry: its config now sends logs to this app",
            f'endpoint = "http://127.0.0.1:{args.otlp_port}/v1/logs"' in config,
            f"{applied!r}; config {config[:300]!r}",
        )
        # ... and imports the history of the assistants it found, with progress, then opens the Overview.
        tools = session.attribute("[data-testid=welcome-import-start]", "data-tools")
        session.click("[data-testid=welcome-import-start]")
        outcome = wait_until(lambda: session.attribute("[data-testid=welcome-import-outcome]", "data-state") == "done" or None, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{args.api_port}/api/spend?groupBy=tool&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", timeout=10) as response:
            imported = {group["key"]: group["requests"] for group in json.load(response)["groups"]}
        check(
            "the welcome imports the history of both assistants it found",
            sorted(tools.split()) == ["codex", "gemini"] and outcome and imported == IMPORTED_REQUESTS,
            f"tools {tools!r}, done {outcome}, imported {imported}",
        )
        session.click("[data-testid=welcome-open-overview]")
        initial = session.wait_for_text("[data-testid=spend-today]", lambda text: text.startswith("$"))
        check("the window shows today's spend", initial == "$0.00", initial)

        body = logs_with_fresh_timestamps(args.fixture)
        request = urllib.request.Request(f"http://127.0.0.1:{args.otlp_port}/v1/logs", data=body, method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            check("the OTLP port accepts Claude Code's captured logs", response.status == 200, str(response.status))

        try:
            shown = session.wait_for_text("[data-testid=spend-today]", lambda text: text != "$0.00", timeout=30)
        except Exception as error:
            shown = str(error)
        check("the window shows the new spend without a reload", shown == "$0.02", shown)

        # The label and the menu reach the panel as two updates: wait for both.
        tray = wait_for_tray(
            args.tray_log,
            lambda state: state["label"] != "$0.00 today"
            and state["label"].endswith(" today")
            and (state.get("menu") or ["Today: $0.00"])[0].split(" · ")[0] != "Today: $0.00",
            timeout=30,
        )
        label = tray.get("label", "")
        check("the tray label shows the same amount as the window", label == f"{shown} today", json.dumps(tray))
        menu = tray.get("menu") or []
        check("the tray menu's first line has the amount and the requests", bool(menu) and menu[0] == "Today: $0.02 · 2 requests", json.dumps(menu))
        check("the tray menu lists the tool and the actions", "Claude Code: $0.02" in menu and "Open dashboard" in menu and "Quit AI Observer" in menu, json.dumps(menu))

        with urllib.request.urlopen(f"http://127.0.0.1:{args.api_port}/api/spend/summary?tz=UTC", timeout=10) as response:
            summary = json.load(response)
        check("the REST port reports the same spend", abs(summary["today"]["costUsd"] - 0.01626885) < 1e-9, json.dumps(summary["today"]))

        # Both assistants on the Overview, over a range that holds the imported history and today:
        # the table by tool has the requests and cost the API has.
        since = "2026-11-01T00:00:00Z"
        until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
        with urllib.request.urlopen(f"http://127.0.0.1:{args.api_port}/api/spend?groupBy=tool&from={since}&to={until}", timeout=10) as response:
            by_tool = {group["key"]: group for group in json.load(response)["groups"]}
        session.execute(f"history.pushState(null, '', '/?from={since}&to={until}'); dispatchEvent(new PopStateEvent('popstate'));")
        try:
            table = session.wait_for_text("[data-testid=spend-by-tool]", lambda text: all(name in text for name in ("Claude Code", "Codex CLI", "Gemini CLI")), timeout=30)
        except WebDriverError as error:
            table = str(error)
        cells = session.execute(
            "return [...document.querySelectorAll('[data-testid=spend-by-tool] tbody tr')]"
            ".map((row) => [...row.cells].map((cell) => cell.textContent.trim()));"
        )
        names = {"Claude Code": "claude-code", "Codex CLI": "codex", "Gemini CLI": "gemini"}
        shown = {names.get(row[0].split("  ")[0].strip(), row[0]): (row[1], row[-1]) for row in cells or []}
        expected = {key: (str(group["requests"]), f"${group['costUsd']:.2f}") for key, group in by_tool.items()}
        check(
            "the Overview shows the imported assistants and the one sending telemetry, with the API's requests and cost",
            shown == expected and {key: int(requests) for key, (requests, _) in shown.items()} == {"claude-code": 2, **IMPORTED_REQUESTS},
            f"shown {shown}, API {expected}",
        )
        session.execute("history.pushState(null, '', '/'); dispatchEvent(new PopStateEvent('popstate'));")

        outcome = session.execute_async(
            "const done = arguments[arguments.length - 1];"
            "const invoke = window.__TAURI_INTERNALS__.invoke;"
            "invoke('tool_config_preview', { request: { tool: 'gemini' } })"
            ".then(preview => invoke('tool_config_apply', { request: { tool: 'gemini' } }).then(applied => done({ preview, applied })))"
            ".catch(error => done({ error }));"
        )
        written = os.path.join(args.home, ".gemini", "settings.json")
        settings = json.load(open(written)) if os.path.exists(written) else {}
        endpoint = settings.get("telemetry", {}).get("otlpEndpoint")
        check(
            "tool_config_preview then tool_config_apply write Gemini CLI's telemetry settings",
            "error" not in outcome and outcome["preview"]["changed"] and endpoint == f"http://127.0.0.1:{args.otlp_port}",
            json.dumps(outcome)[:400],
        )

        invoke_settings = (
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI_INTERNALS__.invoke('settings_update', { request: { dailyBudgetUsd: arguments[0] } })"
            ".then(settings => done(settings), error => done({ error }));"
        )
        session.execute_async(invoke_settings, 0.02)
        warning = wait_for_tray(args.tray_log, lambda state: "Daily budget: 81 % of $0.02" in (state.get("menu") or []), timeout=15)
        check("a daily budget set in the UI shows in the tray menu at once", not warning.get("missing"), json.dumps(warning))
        check("the tray icon changes when the budget is near (80 %)", warning.get("icon_digest") not in (None, "", tray.get("icon_digest")), f"{tray.get('icon_digest')} -> {warning.get('icon_digest')}")
        session.execute_async(invoke_settings, 0.01)
        over = wait_for_tray(args.tray_log, lambda state: "Daily budget: 162 % of $0.01" in (state.get("menu") or []), timeout=15)
        check("and changes again when it is over (100 %)", over.get("icon_digest") not in (None, "", tray.get("icon_digest"), warning.get("icon_digest")), json.dumps(over))
        session.execute_async(invoke_settings, 0.015)
        wait_for_tray(args.tray_log, lambda state: "Daily budget: 108 % of $0.02" in (state.get("menu") or []) or "Daily budget: 108 % of $0.01" in (state.get("menu") or []), timeout=15)
        session.execute_async(invoke_settings, 0.02)
        wait_for_tray(args.tray_log, lambda state: state.get("icon_digest") == warning.get("icon_digest") and "Daily budget: 81 % of $0.02" in (state.get("menu") or []), timeout=15)
        time.sleep(1.5)
        sent = [note["summary"] for note in notifications(args.tray_log)]
        connected = [summary for summary in sent if summary.endswith(" is connected")]
        check("one notification when Claude Code's first telemetry arrived", connected == ["Claude Code is connected"], json.dumps(sent))
        sent = [summary for summary in sent if summary not in connected]
        check("one notification per budget crossing (80 %, then 100 %), none when it stays over or falls back", sent == ["Daily budget at 81 %", "Daily budget exceeded"], json.dumps(sent))

        # The Setup page's status-line install: Claude Code's status line becomes `ai-observer
        # statusline` (the command beside the app), chained to the one the user had.
        claude_settings = os.path.join(args.home, ".claude", "settings.json")
        os.makedirs(os.path.dirname(claude_settings), exist_ok=True)
        with open(claude_settings, "w") as file:
            json.dump({"model": "opus", "statusLine": {"type": "command", "command": "echo 'my line'", "padding": 0}}, file)
        outcome = session.execute_async(
            "const done = arguments[arguments.length - 1];"
            "const invoke = window.__TAURI_INTERNALS__.invoke;"
            "const request = { tool: 'claude-code', part: 'statusLine' };"
            "invoke('tool_config_preview', { request })"
            ".then(preview => invoke('tool_config_apply', { request }).then(applied => done({ preview, applied })))"
            ".catch(error => done({ error }));"
        )
        written = json.load(open(claude_settings))
        command = written.get("statusLine", {}).get("command", "")
        beside_app = os.path.join(os.path.dirname(os.path.abspath(args.app)), "ai-observer")
        check(
            "the status-line install makes `ai-observer statusline` Claude Code's status line, chained to the user's",
            "error" not in outcome
            and shlex.split(command) == [beside_app, "statusline", "--chain", "echo 'my line'"]
            and written.get("model") == "opus" and written["statusLine"].get("padding") == 0
            and any("keeps running" in note for note in outcome["preview"]["notes"])
            and bool(outcome["applied"].get("backupPath")),
            json.dumps({"command": command, "outcome": outcome})[:600],
        )

        # With no budget set, the icon is plain again before the plan limits arrive.
        session.execute_async(invoke_settings, None)
        plain = wait_for_tray(args.tray_log, lambda state: not any(line.startswith("Daily budget") for line in (state.get("menu") or [])) and state["t"] > over["t"], timeout=15)
        check("with the budget cleared the icon is plain again", plain.get("icon_digest") == tray.get("icon_digest"), json.dumps(plain)[:300])

        # Plan limits: Claude Code's status line hands its rate limits over (as `ai-observer
        # statusline` does); the tray label gains the tighter open window, the menu a line per window.
        reset = int(time.time()) + 2 * 3600 + 600
        status_line = json.dumps({"model": {"display_name": "Sonnet 5"}, "rate_limits": {
            "five_hour": {"used_percentage": 88, "resets_at": reset}, "seven_day": {"used_percentage": 14, "resets_at": reset + 4 * 86400}}}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{args.api_port}/api/limits/statusline", data=status_line, method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            recorded = json.load(response).get("recorded")
        # The label and the menu are two properties a panel reads one after the other: wait for both.
        limited = wait_for_tray(
            args.tray_log, lambda state: "·" in state.get("label", "") and any(line.startswith("Claude Code 7d") for line in (state.get("menu") or [])), timeout=15
        )
        check("a reported plan limit joins the tray label (the tighter window)", limited.get("label") == "$0.02 · 5h 88%" and recorded == 2, json.dumps(limited))
        menu = limited.get("menu") or []
        check("the tray icon badges a plan-limit window past 80 % as it does a budget", limited.get("icon_digest") == warning.get("icon_digest"), f"{limited.get('icon_digest')} (warning icon {warning.get('icon_digest')})")
        check("the tray menu lists each window with its reset time", any(line.startswith("Claude Code 5h: 88 % · resets ") for line in menu) and any(line.startswith("Claude Code 7d: 14 % · resets ") for line in menu), json.dumps(menu))
        time.sleep(1.5)
        sent = [note["summary"] for note in notifications(args.tray_log) if not note["summary"].endswith(" is connected")]
        # 88 % two hours fifty into the five: at that pace (31 %/h) the limit comes before the reset.
        check(
            "one notification for the window past 80 % and one for its pace (none for the weekly 14 %)",
            sorted(sent[2:]) == ["Claude Code 5-hour limit at 88 %", "Claude Code will reach its 5-hour limit"],  # sent side by side: either order
            json.dumps(sent),
        )

        # A team server's dashboard in a window of its own. The app's own REST port stands in for the
        # team's server: to the webview it is a remote origin like any other.
        team_url = f"http://127.0.0.1:{args.api_port}/team"
        main_handle = session.window_handle()
        opened = session.execute_async(
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI_INTERNALS__.invoke('team_dashboard_open', { request: { url: arguments[0] } })"
            ".then((answer) => done(answer), (error) => done({ error: JSON.stringify(error) }));",
            team_url,
        )
        check("the Team page's command opens a team server's dashboard and keeps its address", (opened or {}).get("url") == team_url, json.dumps(opened))
        others = wait_until(lambda: [handle for handle in session.window_handles() if handle != main_handle] or None, timeout=20)
        if others:
            session.switch_to_window(others[0])
            heading = session.wait_for_text("h1", lambda text: text == "Team", timeout=30)
            location = session.execute("return location.href;")
            ipc = session.execute_async(
                "const done = arguments[arguments.length - 1];"
                "const internals = window.__TAURI_INTERNALS__;"
                "if (!internals) { done('no IPC in the page'); return; }"
                "internals.invoke('stats', { request: {} }).then(() => done('allowed'), (error) => done('refused: ' + JSON.stringify(error)));"
            )
            check(
                "the team window shows the server's own page over HTTP, and the page may not call the app's commands",
                heading == "Team" and location.split("?")[0] == team_url and ipc.startswith("refused"),
                f"heading {heading!r}, location {location!r}, IPC {ipc!r}",
            )
            # Closed as its window manager would (WebDriver's own close leaves the app's window behind).
            session.switch_to_window(main_handle)
            session.execute_async(
                "const done = arguments[arguments.length - 1];"
                "window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'team-dashboard' }).then(() => done(true), () => done(false));"
            )
            wait_until(lambda: session.window_handles() == [main_handle] or None, timeout=20)
        else:
            check("a second window opened for the team dashboard", False, json.dumps(session.window_handles()))

        time.sleep(1.5)  # let the page settle (the live refresh redraws the charts)
        png = session.screenshot()
        os.makedirs(os.path.dirname(args.screenshot), exist_ok=True)
        with open(args.screenshot, "wb") as shot:
            shot.write(png)
        check("a screenshot of the window was saved", png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000, f"{len(png)} bytes")

        # Closing the window destroys it and its WebKit processes; the app goes on in the tray, and
        # opening it again (a second launch hands over) makes a new one, on the page it was closed on,
        # with the page's storage kept. (Under WebDriver the network process stays: web_helpers.rs;
        # tests/desktop/reopen_scenario.py closes and reopens the window without it.)
        session.execute("history.pushState(null, '', '/logs?timeframe=24h'); dispatchEvent(new PopStateEvent('popstate'));")
        session.execute("localStorage.setItem('ai-observer-e2e-kept', 'written just before closing');")
        on_logs = session.wait_for_text("h1", lambda text: text == "Logs", timeout=30)
        app_pid = process_of(args.app)
        helpers_open = children_of(app_pid)
        rss_open = tree_rss_mib(app_pid)
        session.execute_async(
            "const done = arguments[arguments.length - 1];"
            "setTimeout(() => window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'main' }), 200);"
            "done(true);"
        )
        web_content = lambda: [child for child in children_of(app_pid) if process_name(child) == "WebKitWebProces"]  # noqa: E731 (comm is cut at 15 characters)
        helpers_closed = wait_until(lambda: [] if not web_content() else None, timeout=15)
        with urllib.request.urlopen(f"http://127.0.0.1:{args.api_port}/health", timeout=10) as response:
            alive = response.status == 200
        check(
            "a closed window takes its web-content process with it; the app keeps answering",
            bool(helpers_open) and helpers_closed == [] and alive,
            f"helpers while open {[process_name(child) for child in helpers_open]}, after close {[process_name(child) for child in children_of(app_pid)]}",
        )
        # The closed window's cold pages go back 3 s after it is gone (cold_pages.rs).
        time.sleep(5)
        rss_closed = tree_rss_mib(app_pid)
        app_closed = tree_rss_mib(app_pid) - sum(tree_rss_mib(child) for child in children_of(app_pid))
        print(f"     memory (debug build): {rss_open:.0f} MiB with the window open, {rss_closed:.0f} MiB 5 s after closing it ({app_closed:.0f} MiB the app, the rest {[process_name(child) for child in children_of(app_pid)]})", flush=True)
        check("memory goes back down after the window closes", rss_closed < rss_open * 0.6, f"{rss_open:.0f} MiB open, {rss_closed:.0f} MiB closed")
        tray_after_close = wait_for_tray(args.tray_log, lambda state: state.get("label", "").startswith("$"), timeout=5)
        check("the tray is still there with its label", not tray_after_close.get("missing"), json.dumps(tray_after_close)[:200])
        subprocess.run([args.app], env=os.environ, timeout=30, capture_output=True, check=False)
        reopened = wait_until(lambda: web_content() or None, timeout=30)
        check("opening it again makes a new window (a web-content process is back)", bool(reopened) and process_of(args.app) == app_pid, f"{reopened}")
        handles, heading, location, kept = [], None, None, None
        try:
            handles = wait_until(lambda: session.window_handles() or None, timeout=15) or []
            if handles:
                session.switch_to_window(handles[-1])
                heading = session.wait_for_text("h1", lambda text: text == "Logs", timeout=30)
                location = session.execute("return location.pathname + location.search;")
                kept = session.execute("return localStorage.getItem('ai-observer-e2e-kept');")
        except WebDriverError as error:
            heading = f"error: {error}"
        check(
            "the reopened window shows the page it was closed on",
            on_logs == "Logs" and heading == "Logs" and location == "/logs?timeframe=24h",
            f"before closing {on_logs!r}; after reopening {heading!r} at {location!r} ({len(handles)} window(s))",
        )
        check(
            "what the page stored just before closing is there in the new window",
            kept == "written just before closing",
            f"{kept!r}",
        )
    finally:
        session.close()

    print(f"desktop app: {CHECKS['passed']} passed, {CHECKS['failed']} failed", flush=True)
    return 1 if CHECKS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
