#!/usr/bin/python3
"""What a desktop shell gives an app, on a test's session bus: a tray host and a notification server.

Tray icons on Linux (libayatana-appindicator) register with `org.kde.StatusNotifierWatcher`; this
one accepts the registrations and then reads each item the way a panel would: its properties
(`XAyatanaLabel` is the text shown next to the icon, set by the app's `TrayIcon::set_title`; the
icon) and its menu (the com.canonical.dbusmenu layout). Notifications sent to
`org.freedesktop.Notifications` are recorded. Every change is written as one JSON line:
  {"t": seconds since start, "id": ..., "label": "$0.02 today", "icon": ..., "status": "Active", "menu": ["Today: ...", ...]}
  {"t": ..., "notification": {"summary": "Daily budget at 81 %", "body": "..."}}
Run with Debian's /usr/bin/python3 (python3-dbus, python3-gi). Stops on SIGTERM or after --timeout.
"""
import argparse
import hashlib
import json
import signal
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
NOTIFICATIONS = "org.freedesktop.Notifications"


class Watcher(dbus.service.Object):
    def __init__(self, bus):
        self.bus = bus
        self.items = []
        self.bus_name = dbus.service.BusName(WATCHER, bus, do_not_queue=True)
        super().__init__(self.bus_name, "/StatusNotifierWatcher")

    @dbus.service.method(WATCHER, in_signature="s", out_signature="", sender_keyword="sender")
    def RegisterStatusNotifierItem(self, service, sender=None):
        item = (sender, str(service)) if str(service).startswith("/") else (str(service), "/StatusNotifierItem")
        if item not in self.items:
            self.items.append(item)
            self.StatusNotifierItemRegistered(item[0] + item[1])

    @dbus.service.method(WATCHER, in_signature="s", out_signature="")
    def RegisterStatusNotifierHost(self, service):
        pass

    @dbus.service.signal(WATCHER, signature="s")
    def StatusNotifierItemRegistered(self, service):
        pass

    @dbus.service.signal(WATCHER, signature="s")
    def StatusNotifierHostRegistered(self, service):
        pass

    def properties(self):
        return {
            "RegisteredStatusNotifierItems": dbus.Array([name + path for name, path in self.items], signature="s"),
            "IsStatusNotifierHostRegistered": dbus.Boolean(True),
            "ProtocolVersion": dbus.Int32(0),
        }

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
    def Get(self, interface, name):
        return self.properties()[name]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return self.properties()


class NotificationServer(dbus.service.Object):
    def __init__(self, bus, record):
        self.record = record
        self.next_id = 1
        self.bus_name = dbus.service.BusName(NOTIFICATIONS, bus, do_not_queue=True)
        super().__init__(self.bus_name, "/org/freedesktop/Notifications")

    @dbus.service.method(NOTIFICATIONS, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout):
        self.record({"notification": {"app": str(app_name), "summary": str(summary), "body": str(body)}})
        self.next_id += 1
        return dbus.UInt32(self.next_id - 1)

    @dbus.service.method(NOTIFICATIONS, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return dbus.Array(["body"], signature="s")

    @dbus.service.method(NOTIFICATIONS, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("test-shell", "ai-observer", "1.0", "1.2")

    @dbus.service.method(NOTIFICATIONS, in_signature="u", out_signature="")
    def CloseNotification(self, notification_id):
        pass


def menu_labels(bus, name, path):
    try:
        menu = bus.get_object(name, path)
        _, layout = menu.GetLayout(0, -1, dbus.Array([], signature="s"), dbus_interface=MENU)
        labels = []
        for child in layout[2]:
            props = child[1]
            if props.get("type") == "separator":
                labels.append("---")
            elif "label" in props:
                labels.append(str(props["label"]))
        return labels
    except dbus.DBusException:
        return None


def icon_digest(icon):
    """A short digest of the icon file's pixels: libappindicator writes every icon it is given to a
    new file, so the same image shows under different names."""
    try:
        with open(icon, "rb") as file:
            return hashlib.sha256(file.read()).hexdigest()[:16]
    except OSError:
        return ""


def read_item(bus, name, path):
    props = bus.get_object(name, path).GetAll(ITEM, dbus_interface=dbus.PROPERTIES_IFACE)
    menu_path = props.get("Menu")
    icon = str(props.get("IconName", ""))
    return {
        "id": str(props.get("Id", "")),
        "label": str(props.get("XAyatanaLabel", "")),
        "icon": icon,
        "icon_digest": icon_digest(icon),
        "status": str(props.get("Status", "")),
        "menu": menu_labels(bus, name, menu_path) if menu_path else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--interval", type=float, default=0.25)
    args = parser.parse_args()

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    watcher = Watcher(bus)
    start = time.monotonic()

    def record(entry):
        print(json.dumps({"t": round(time.monotonic() - start, 3), **entry}), flush=True)

    notifications = NotificationServer(bus, record)
    last = {}
    loop = GLib.MainLoop()

    # SIGUSR1 stops the polling (the watcher stays registered), as a panel that only listens for the
    # item's signals: measure.sh's idle minute must not count the app answering our polls.
    polling = {"on": True}
    signal.signal(signal.SIGUSR1, lambda *_: polling.update(on=False))

    def poll():
        for name, path in list(watcher.items) if polling["on"] else []:
            try:
                state = read_item(bus, name, path)
            except dbus.DBusException:
                watcher.items.remove((name, path))
                continue
            if last.get((name, path)) != state:
                last[(name, path)] = state
                record(state)
        if time.monotonic() - start > args.timeout:
            loop.quit()
            return False
        return True

    GLib.timeout_add(int(args.interval * 1000), poll)
    signal.signal(signal.SIGTERM, lambda *_: loop.quit())
    print(json.dumps({"t": 0, "watcher": "ready"}), flush=True)
    loop.run()


if __name__ == "__main__":
    sys.exit(main())
