#!/usr/bin/env python3
"""Decode the OTLP bodies the sink stored (JSON or protobuf, .bin or .bin.gz) into OTLP/JSON
dicts, and write ``otlp/summary.json`` for runs whose bodies are protobuf (the sink's own
summary only reads JSON bodies).

Protobuf needs the ``opentelemetry-proto`` package (PyPI), e.g. in a scratch venv:
``python3 -m venv /tmp/otelvenv && /tmp/otelvenv/bin/pip install opentelemetry-proto``, then run
this module with that interpreter. JSON bodies need nothing.

    python3 otlp_decode.py RUN_DIR [--summary] [--dump]   # --dump prints every body as OTLP/JSON

The decoded form is the OTLP/JSON mapping of the protobuf message (lowerCamelCase keys, int64 as
strings, enums as integers, bytes ids as hex, as the OTLP/JSON spec says), so code written for the JSON captures
reads protobuf captures the same way.
"""

import argparse
import base64
import gzip
import json
import os
import sys

SIGNAL_TYPES = {
    "traces": ("opentelemetry.proto.collector.trace.v1.trace_service_pb2", "ExportTraceServiceRequest"),
    "metrics": ("opentelemetry.proto.collector.metrics.v1.metrics_service_pb2", "ExportMetricsServiceRequest"),
    "logs": ("opentelemetry.proto.collector.logs.v1.logs_service_pb2", "ExportLogsServiceRequest"),
}
ID_KEYS = {"traceId", "spanId", "parentSpanId"}


def _hex_ids(node):
    """json_format writes bytes as base64; OTLP/JSON wants trace/span ids as hex."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ID_KEYS and isinstance(value, str):
                out[key] = base64.b64decode(value).hex()
            else:
                out[key] = _hex_ids(value)
        return out
    if isinstance(node, list):
        return [_hex_ids(v) for v in node]
    return node


def read_body(otlp_dir, meta_name):
    """(meta, raw bytes as received after undoing our .gz and any Content-Encoding: gzip)."""
    with open(os.path.join(otlp_dir, meta_name), encoding="utf-8") as f:
        meta = json.load(f)
    stored = meta.get("stored_as", meta_name.replace(".meta.json", ".bin"))
    with open(os.path.join(otlp_dir, stored), "rb") as f:
        data = f.read()
    if stored.endswith(".gz"):
        data = gzip.decompress(data)
    if meta["headers"].get("content-encoding") == "gzip":
        data = gzip.decompress(data)
    return meta, data


def decode(meta, data):
    """The body as an OTLP/JSON dict (protobuf decoded when needed)."""
    if "json" in meta["headers"].get("content-type", ""):
        return json.loads(data)
    route = meta["path"].split("?")[0].rstrip("/")
    signal = next((s for s in SIGNAL_TYPES if route.endswith("/" + s)), None)
    if signal is None:
        raise ValueError(f"cannot tell the signal of {meta['path']}")
    import importlib
    from google.protobuf import json_format
    module_name, cls_name = SIGNAL_TYPES[signal]
    message = getattr(importlib.import_module(module_name), cls_name)()
    message.ParseFromString(data)
    return _hex_ids(json_format.MessageToDict(message, use_integers_for_enums=True))


def bodies(run_dir):
    """Yield (meta, decoded dict) for every stored request of a run, in arrival order."""
    otlp_dir = os.path.join(run_dir, "otlp")
    for name in sorted(os.listdir(otlp_dir)):
        if name.endswith(".meta.json"):
            meta, data = read_body(otlp_dir, name)
            yield meta, decode(meta, data)


def attr_value(value):
    """Plain Python value of an OTLP AnyValue (ints from strings too)."""
    if not value:
        return None
    key, inner = next(iter(value.items()))
    if key == "intValue":
        return int(inner)
    if key == "arrayValue":
        return [attr_value(v) for v in inner.get("values", [])]
    if key == "kvlistValue":
        return {kv["key"]: attr_value(kv.get("value")) for kv in inner.get("values", [])}
    return inner


def attrs(items):
    return {a["key"]: attr_value(a.get("value")) for a in items or []}


def summarize_decoded(run_dir):
    """summary.json in the sink's format, built from decoded bodies (protobuf included)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import otlp_sink
    summary = {"requests": 0, "protobuf_bodies": 0, "json_bodies": 0, "metrics": {}, "events": {},
               "spans": {}, "resources": [], "decoded_protobuf": True}
    for meta, doc in bodies(run_dir):
        summary["requests"] += 1
        if "json" in meta["headers"].get("content-type", ""):
            summary["json_bodies"] += 1
        else:
            summary["protobuf_bodies"] += 1
        for rm in doc.get("resourceMetrics", []):
            otlp_sink._resource(summary, rm)
            for sm in rm.get("scopeMetrics", []):
                for m in sm.get("metrics", []):
                    kind = next((k for k in ("sum", "gauge", "histogram", "exponentialHistogram") if k in m), "?")
                    points = m.get(kind, {}).get("dataPoints", [])
                    entry = summary["metrics"].setdefault(m["name"], {"kind": kind, "attrs": set(), "points": 0})
                    entry["points"] += len(points)
                    for p in points:
                        entry["attrs"].update(a.get("key") for a in p.get("attributes", []))
        for rl in doc.get("resourceLogs", []):
            otlp_sink._resource(summary, rl)
            for sl in rl.get("scopeLogs", []):
                for rec in sl.get("logRecords", []):
                    a = attrs(rec.get("attributes"))
                    body = attr_value(rec.get("body"))
                    name = a.get("event.name") or rec.get("eventName") or (body if isinstance(body, str) else "?")
                    entry = summary["events"].setdefault(str(name)[:80], {"count": 0, "attrs": set()})
                    entry["count"] += 1
                    entry["attrs"].update(a)
        for rs in doc.get("resourceSpans", []):
            otlp_sink._resource(summary, rs)
            for ss in rs.get("scopeSpans", []):
                for span in ss.get("spans", []):
                    entry = summary["spans"].setdefault(span["name"], {"count": 0, "attrs": set()})
                    entry["count"] += 1
                    entry["attrs"].update(a.get("key") for a in span.get("attributes", []))
    for group in ("metrics", "events", "spans"):
        for entry in summary[group].values():
            entry["attrs"] = sorted(a for a in entry["attrs"] if a)
    with open(os.path.join(run_dir, "otlp", "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir")
    ap.add_argument("--summary", action="store_true", help="rewrite otlp/summary.json from decoded bodies")
    ap.add_argument("--dump", action="store_true", help="print every body as OTLP/JSON")
    args = ap.parse_args()
    if args.summary:
        summarize_decoded(args.run_dir)
    if args.dump:
        for meta, doc in bodies(args.run_dir):
            print(json.dumps({"seq": meta["seq"], "path": meta["path"], "body": doc}))


if __name__ == "__main__":
    main()
