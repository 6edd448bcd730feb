#!/usr/bin/python3
"""Closing and reopening the dashboard window as a user does, with no WebDriver attached (a
WebDriver keeps WebKit's network process alive, src-tauri/src/web_helpers.rs): the app starts in the
tray, a second launch opens the window, the pointer (XTest) switches the theme to Dark and opens the
Logs page, and the window is closed the way a window manager closes it. Within 10 s no WebKit
process may be left and the memory must be under half of the open window's; opened again, the window must
draw the Logs page in the dark theme, which the page kept in its storage (served by the network
process that was ended and started again).

Reads the screen with ImageMagick's `import`; the window fills the 1280x800 Xvfb screen (no window
manager). Prints one line per check and `reopen: N passed, M failed`; exit status 1 on a failure.

Usage: reopen_scenario.py --app BINARY [--shots DIR]   (inside tests/desktop/session.sh's environment)"""
import argparse
import ctypes
import ctypes.util
import os
import subprocess
import sys
import time

from app_scenario import CHECKS, check, children_of, process_name, tree_rss_mib, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))

# Where things are on the 1280x800 window (docs/screenshots): the theme button at the top right,
# the Logs link of the sidebar, a point inside its entry (blue when current), a point of the page's
# background.
THEME_BUTTON = (1235, 24)
LOGS_LINK = (40, 225)
LOGS_ENTRY = (150, 225)
PAGE_BACKGROUND = (1150, 780)


def click(x, y):
    """A left click at (x, y) on the screen, through the XTest extension."""
    x11 = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
    xtst = ctypes.cdll.LoadLibrary(ctypes.util.find_library("Xtst") or "libXtst.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
    xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
    display = x11.XOpenDisplay(None)
    if not display:
        raise RuntimeError("cannot open the display")
    xtst.XTestFakeMotionEvent(display, -1, x, y, 0)
    x11.XFlush(display)
    time.sleep(0.1)
    xtst.XTestFakeButtonEvent(display, 1, 1, 0)
    xtst.XTestFakeButtonEvent(display, 1, 0, 0)
    x11.XFlush(display)
    x11.XCloseDisplay(display)
    time.sleep(0.5)


SHOTS = {"dir": None, "count": 0}


def pixels(*points):
    """The (r, g, b) of each point of the screen, from one screenshot (kept as PNG with --shots)."""
    shot = subprocess.run(["import", "-window", "root", "-depth", "8", "ppm:-"], capture_output=True, check=True, timeout=30).stdout
    if SHOTS["dir"]:
        SHOTS["count"] += 1
        path = os.path.join(SHOTS["dir"], f"reopen-{SHOTS['count']}.png")
        subprocess.run(["convert", "ppm:-", path], input=shot, check=False, timeout=30)
    fields, position = [], 0
    while len(fields) < 4:  # P6, width, height, maximum value, each after whitespace (no comments)
        while shot[position : position + 1].isspace():
            position += 1
        start = position
        while not shot[position : position + 1].isspace():
            position += 1
        fields.append(shot[start:position])
    width = int(fields[1])
    data = shot[position + 1 :]
    return [tuple(data[(y * width + x) * 3 : (y * width + x) * 3 + 3]) for x, y in points]


def brightness(rgb):
    return sum(rgb) / 3


def accent(rgb):
    """The blue of the sidebar's current entry (both themes)."""
    return rgb[2] > 120 and rgb[2] - rgb[0] > 60


def open_window(app):
    """A second launch hands over to the running app, which makes the window."""
    subprocess.run([app], env=os.environ, timeout=30, capture_output=True, check=False)


def web_content(app_pid):
    return [child for child in children_of(app_pid) if process_name(child) == "WebKitWebProces"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", required=True)
    parser.add_argument("--shots", help="a folder for the screenshots the checks read")
    args = parser.parse_args()
    SHOTS["dir"] = args.shots

    app = subprocess.Popen([args.app, "--minimized"], env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        idle = tree_rss_mib(app.pid)
        open_window(args.app)
        check("a second launch opens the window", bool(wait_until(lambda: web_content(app.pid) or None, timeout=30)))
        time.sleep(8)  # the page loads and draws
        before = pixels(PAGE_BACKGROUND)[0]
        for _ in range(2):  # System -> Light -> Dark
            click(*THEME_BUTTON)
        click(*LOGS_LINK)
        time.sleep(2)
        page, entry = pixels(PAGE_BACKGROUND, LOGS_ENTRY)
        check(
            "the pointer turns the theme dark and opens the Logs page",
            brightness(before) > 200 and brightness(page) < 80 and accent(entry),
            f"page background before {before}, after {page}; the Logs entry {entry}",
        )
        opened = tree_rss_mib(app.pid)

        closed_at = time.monotonic()
        closed = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "close_window.py"), "AI Observer"], timeout=30, check=False)
        gone = wait_until(lambda: True if not children_of(app.pid) else None, timeout=15)
        took = time.monotonic() - closed_at
        left = [process_name(child) for child in children_of(app.pid)]
        check(
            "closing the window ends every WebKit process within 10 s (the network process too)",
            closed.returncode == 0 and gone and took <= 10,
            f"after {took:.1f} s: {left}",
        )
        time.sleep(2)
        after = tree_rss_mib(app.pid)
        print(f"     memory (this build): idle {idle:.0f} MiB, window open {opened:.0f} MiB, {after:.0f} MiB after closing it", flush=True)
        check("the memory is back under half of the open window's", after < opened / 2, f"{after:.0f} MiB against {opened:.0f} MiB open")

        open_window(args.app)
        back = wait_until(lambda: web_content(app.pid) or None, timeout=30)
        time.sleep(8)
        page, entry = pixels(PAGE_BACKGROUND, LOGS_ENTRY)
        network = [child for child in children_of(app.pid) if process_name(child) == "WebKitNetworkPr"]
        check(
            "opened again, the window draws the Logs page in the dark theme it stored (a new network process serves it)",
            bool(back) and bool(network) and brightness(page) < 80 and accent(entry),
            f"web content {back}, network {network}; page background {page}, the Logs entry {entry}",
        )
    finally:
        app.terminate()
        try:
            app.wait(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()

    print(f"reopen: {CHECKS['passed']} passed, {CHECKS['failed']} failed", flush=True)
    return 1 if CHECKS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
