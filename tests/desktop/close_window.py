#!/usr/bin/env python3
"""Closes an X11 window by its title the way a window manager's close button does: a
WM_DELETE_WINDOW client message (the app sees a close request, not a kill). For the desktop
measurements under Xvfb, where no window manager runs. Uses libX11 through ctypes.

Usage: close_window.py "AI Observer"   (exit status 1 when no such window is mapped)
"""

import ctypes
import ctypes.util
import sys

X11 = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
X11.XOpenDisplay.restype = ctypes.c_void_p
X11.XOpenDisplay.argtypes = [ctypes.c_char_p]
X11.XDefaultRootWindow.restype = ctypes.c_ulong
X11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
X11.XInternAtom.restype = ctypes.c_ulong
X11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
X11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
                           ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)), ctypes.POINTER(ctypes.c_uint)]
X11.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
X11.XFree.argtypes = [ctypes.c_void_p]
X11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
X11.XFlush.argtypes = [ctypes.c_void_p]
X11.XCloseDisplay.argtypes = [ctypes.c_void_p]


class ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong), ("format", ctypes.c_int), ("data", ctypes.c_long * 5),
    ]


class XEvent(ctypes.Union):
    _fields_ = [("client", ClientMessage), ("pad", ctypes.c_long * 24)]


def windows(display, window):
    root, parent = ctypes.c_ulong(), ctypes.c_ulong()
    children, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
    if not X11.XQueryTree(display, window, ctypes.byref(root), ctypes.byref(parent), ctypes.byref(children), ctypes.byref(count)):
        return
    found = [children[i] for i in range(count.value)]
    if children:
        X11.XFree(children)
    for child in found:
        yield child
        yield from windows(display, child)


def title(display, window):
    name = ctypes.c_char_p()
    if X11.XFetchName(display, window, ctypes.byref(name)) and name.value is not None:
        text = name.value.decode("utf-8", "replace")
        X11.XFree(name)
        return text
    return None


def main():
    wanted = sys.argv[1]
    display = X11.XOpenDisplay(None)
    if not display:
        print("close_window: no display", file=sys.stderr)
        return 1
    protocols = X11.XInternAtom(display, b"WM_PROTOCOLS", 0)
    delete = X11.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
    closed = 0
    for window in windows(display, X11.XDefaultRootWindow(display)):
        if title(display, window) != wanted:
            continue
        event = XEvent()
        event.client.type = 33  # ClientMessage
        event.client.window = window
        event.client.message_type = protocols
        event.client.format = 32
        event.client.data[0] = delete
        X11.XSendEvent(display, window, 0, 0, ctypes.byref(event))
        closed += 1
    X11.XFlush(display)
    X11.XCloseDisplay(display)
    return 0 if closed else 1


if __name__ == "__main__":
    sys.exit(main())
