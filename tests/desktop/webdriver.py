"""A small W3C WebDriver client on the standard library, enough to drive the app's window through
tauri-driver (which hands the session to WebKitWebDriver and starts the app)."""
import base64
import http.client
import json
import subprocess
import time
import urllib.error
import urllib.request


class WebDriverError(Exception):
    pass


class Session:
    def __init__(self, server, application, timeout=60):
        self.server = server.rstrip("/")
        capabilities = {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": application}}}}
        try:
            answer = self._call("POST", "/session", capabilities, timeout=timeout, attempts=1)
        except (ConnectionError, http.client.HTTPException):
            # tauri-driver sometimes drops the connection to WebKitWebDriver while the app starts;
            # the session is lost with it. Stop the app it started and ask once more.
            subprocess.run(["pkill", "-f", application], check=False)
            time.sleep(2)
            answer = self._call("POST", "/session", capabilities, timeout=timeout, attempts=1)
        self.id = answer["sessionId"]
        # The page renders after load; let element lookups wait for it.
        self._call("POST", f"/session/{self.id}/timeouts", {"implicit": 10000, "script": 30000})

    def _call(self, method, path, body=None, timeout=60, attempts=3):
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(attempts):
            request = urllib.request.Request(self.server + path, data=data, method=method, headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    return json.loads(response.read() or b"{}").get("value")
            except urllib.error.HTTPError as error:
                raise WebDriverError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None
            except (ConnectionError, http.client.HTTPException, urllib.error.URLError):
                # tauri-driver reuses pooled connections to WebKitWebDriver; when one was closed under
                # it, the command fails before it is sent ("connection reset", seen on loaded CI
                # machines) and the session is still there. Send it again on a new connection.
                if attempt + 1 == attempts:
                    raise
                time.sleep(0.5)

    def find(self, css):
        element = self._call("POST", f"/session/{self.id}/element", {"using": "css selector", "value": css})
        return next(iter(element.values()))

    def click(self, css):
        self._call("POST", f"/session/{self.id}/element/{self.find(css)}/click", {})

    def text(self, css):
        return self._call("GET", f"/session/{self.id}/element/{self.find(css)}/text")

    def attribute(self, css, name):
        return self._call("GET", f"/session/{self.id}/element/{self.find(css)}/attribute/{name}")

    def wait_for_text(self, css, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = self.text(css)
                if predicate(last):
                    return last
            except (WebDriverError, ConnectionError, http.client.HTTPException, urllib.error.URLError):
                # A poll may meet a dropped connection between tauri-driver and WebKitWebDriver;
                # the next poll opens a new one, and the deadline still bounds the wait.
                pass
            time.sleep(0.25)
        raise WebDriverError(f"{css}: text never matched (last {last!r})")

    def execute(self, script, *args):
        return self._call("POST", f"/session/{self.id}/execute/sync", {"script": script, "args": list(args)})

    def window_handle(self):
        return self._call("GET", f"/session/{self.id}/window")

    def window_handles(self):
        return self._call("GET", f"/session/{self.id}/window/handles")

    def switch_to_window(self, handle):
        self._call("POST", f"/session/{self.id}/window", {"handle": handle})

    def close_window(self):
        return self._call("DELETE", f"/session/{self.id}/window")

    def execute_async(self, script, *args):
        return self._call("POST", f"/session/{self.id}/execute/async", {"script": script, "args": list(args)})

    def screenshot(self):
        return base64.b64decode(self._call("GET", f"/session/{self.id}/screenshot"))

    def close(self):
        # Ending the session closes the app; tauri-driver may drop the connection while doing so.
        try:
            self._call("DELETE", f"/session/{self.id}", timeout=15)
        except Exception:
            pass
