"""One system on one model in a process of its own: python bench/worker.py SPEC_JSON.

A separate process per system keeps thread pools (libomp, onnxruntime's, ggml's, IREE's)
and crashes apart, and lets IREE read its thread flag fresh. Prints one JSON line:
{"threads": {"1": {"decode": ..., "prefill": ...}, ...}} or {"error": "..."}.
"""
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import timing  # noqa: E402


def open_system(spec: dict, threads: int):
    kind = spec["system"]
    if kind == "bitnet-mlir":
        import sys_bitnet
        return sys_bitnet.System(spec["path"], threads)
    if kind == "onnxruntime":
        import sys_ort
        return sys_ort.System(spec["path"], threads)
    if kind == "llama.cpp":
        import sys_llama
        return sys_llama.System(spec["path"], threads, spec["n_ctx"])
    if kind == "IREE":
        import sys_iree
        return sys_iree.System(spec["path"], threads, spec["kv_heads"], spec["head_dim"],
                               spec["layers"])
    raise ValueError(f"unknown system {kind!r}")


def main():
    spec = json.loads(sys.argv[1])
    result = {"threads": {}}
    try:
        for threads in spec["threads"]:
            system = open_system(spec, threads)
            load = os.getloadavg()[0]
            r = timing.measure(system, spec["vocab"], spec["prompt_n"], spec["decode_n"],
                               spec["prefill_n"], spec["repeats"], spec["budget_s"])
            r["load_before"], r["load_after"] = load, os.getloadavg()[0]
            result["threads"][str(threads)] = r
            del system
    except Exception as e:  # reported in the table as n/a, with the reason
        result["error"] = f"{type(e).__name__}: {e}".splitlines()[0][:300]
        result["traceback"] = traceback.format_exc()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
