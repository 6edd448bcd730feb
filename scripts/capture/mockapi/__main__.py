"""Command line: ``python3 -m mockapi --script S.json --log mock_requests.jsonl [--port N]``.

Prints ``PORT <n>`` on stdout once listening (and writes it to ``--port-file``), then serves
until interrupted.
"""

import argparse
import signal
import sys
import time

from .script import Script
from .server import serve


def main(argv=None):
    ap = argparse.ArgumentParser(prog="mockapi", description=__doc__)
    ap.add_argument("--script", required=True, help="capture script (JSON)")
    ap.add_argument("--log", required=True, help="mock_requests.jsonl to append to")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 = any free port")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--label", default="", help="label for requests until /__mock/label changes it")
    ap.add_argument("--anchor", type=int, help="time anchor (Unix s) for reset_after; default now rounded down to 10 min")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        ap.error("loopback only")
    script = Script.load(args.script, args.anchor)
    httpd, port = serve(script, args.log, args.host, args.port, args.label, args.verbose)
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(port))
    print(f"PORT {port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        httpd.shutdown()


if __name__ == "__main__":
    main()
