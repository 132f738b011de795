"""Summarize an ONNX model: I/O signature, op-type histogram, initializers by dtype.

Usage: PYTHONPATH=python python -m bitnet.inspect model.onnx [more.onnx ...] [--json]
"""
import argparse
import collections
import json

import numpy as np
import onnx
from onnx import helper


def _value_info(v):
    t = v.type.tensor_type
    dims = [d.dim_param or d.dim_value for d in t.shape.dim]
    return {"name": v.name, "dtype": helper.tensor_dtype_to_np_dtype(t.elem_type).name, "shape": dims}


def summarize(proto: onnx.ModelProto) -> dict:
    g = proto.graph
    ops = collections.Counter(n.op_type for n in g.node)
    init_bytes = collections.Counter()
    init_count = collections.Counter()
    for t in g.initializer:
        dt = helper.tensor_dtype_to_np_dtype(t.data_type)
        init_count[dt.name] += 1
        init_bytes[dt.name] += int(np.prod(t.dims, dtype=np.int64)) * dt.itemsize
    return {
        "opset": {o.domain or "ai.onnx": o.version for o in proto.opset_import},
        "ir_version": proto.ir_version,
        "inputs": [_value_info(v) for v in g.input],
        "outputs": [_value_info(v) for v in g.output],
        "nodes": len(g.node),
        "op_histogram": dict(sorted(ops.items())),
        "initializers": {k: {"count": init_count[k], "bytes": init_bytes[k]} for k in sorted(init_count)},
        "metadata": {p.key: p.value for p in proto.metadata_props},
    }


def format_summary(s: dict) -> str:
    lines = [f"opset {s['opset']}  ir_version {s['ir_version']}  nodes {s['nodes']}"]
    for kind in ("inputs", "outputs"):
        for v in s[kind]:
            lines.append(f"  {kind[:-1]:6} {v['name']:28} {v['dtype']:8} {v['shape']}")
    lines.append("  ops: " + ", ".join(f"{k}:{v}" for k, v in s["op_histogram"].items()))
    lines.append("  initializers: " + ", ".join(
        f"{k} x{v['count']} ({v['bytes']} B)" for k, v in s["initializers"].items()))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bitnet.inspect", description=__doc__)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    out = {}
    for path in a.models:
        # Skip external data: the summary only needs the graph and tensor headers.
        s = summarize(onnx.load(path, load_external_data=False))
        out[path] = s
        if not a.json:
            print(path)
            print(format_summary(s))
    if a.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
