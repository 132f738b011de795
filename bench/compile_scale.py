"""Compile at scale: export time, compile time, peak RSS, artifact size, load time and speed.

    .venv/bin/python bench/compile_scale.py [--models bytelm bitnet-100m bitnet-700m bitnet-2b4t]

For each shape: the KV-cache ONNX export (random weights; shapes of a billion parameters or
more are traced with 2 layers and cloned, bitnet/replicate.py, with external data), then
`bitnet-opt --emit=lib --float-weights=f16`, each in a fresh process whose own peak RSS is
read from wait4. The library's size is set against the same parameters in FP16 and against
what it must hold (ternary at 2 bits, one f16 embedding table, the norms). Load time is
bitnet_model_create through bitnet.runtime (median of 3, page cache warm); decode and
prefill run through bitnet-run, 1 thread, a 128-token prompt and 128 generated tokens.
Writes <results>/compile_scale.md and .json.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import models  # noqa: E402

ROOT = models.ROOT
BITNET_RUN = os.path.join(ROOT, "build", "bin", "bitnet-run")
CLONE_ABOVE_PARAMS = 1e9


def measured(cmd, log_path, env=None):
    """(seconds, peak RSS in bytes) of `cmd`, its output in log_path; raises on failure."""
    start = time.time()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.time() - start
    if os.waitstatus_to_exitcode(status) != 0:
        with open(log_path) as f:
            raise RuntimeError(f"{cmd[0]} failed (log {log_path}):\n{f.read()[-2000:]}")
    return seconds, usage.ru_maxrss * 1024


def export(results, name):
    directory = os.path.join(models.cache_dir(results, name), "scale")
    os.makedirs(directory, exist_ok=True)
    out, info = os.path.join(directory, "model.onnx"), os.path.join(directory, "export.json")
    if os.path.exists(info):
        with open(info) as f:
            return out, json.load(f)
    cmd = [sys.executable, "-m", "bitnet.export", "--config", name, "--form", "kvcache",
           "--seed", str(models.SEED), "-o", out]
    if models.counts(name)["params"] >= CLONE_ABOVE_PARAMS:
        cmd += ["--trace-layers", "2", "--external-data"]
    print(f"export {name}", flush=True)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    seconds, rss = measured(cmd, out + ".log", env)
    record = {"export_s": seconds, "export_rss": rss, "cloned": "--trace-layers" in cmd}
    with open(info, "w") as f:
        json.dump(record, f)
    return out, record


def load_seconds(lib):
    code = ("import sys, time; sys.path.insert(0, %r); from bitnet.runtime import CompiledModel;"
            "t = time.perf_counter(); m = CompiledModel(%r); print(time.perf_counter() - t);"
            "m.close()" % (os.path.join(ROOT, "python"), lib))
    runs = [float(subprocess.check_output([sys.executable, "-c", code], text=True))
            for _ in range(3)]
    return statistics.median(runs)


def speed(lib, vocab):
    prompt = " ".join(str((7 * i) % vocab) for i in range(1, 129))
    out = subprocess.check_output([BITNET_RUN, lib, "--tokens", prompt, "-n", "128"],
                                  text=True, stderr=subprocess.DEVNULL)
    value = lambda key: float(re.search(key + r": ([0-9.na]+)", out).group(1))  # noqa: E731
    return value("decode_tok_s"), value("prompt_tok_s")


def measure(results, name):
    onnx_path, record = export(results, name)
    lib = os.path.join(os.path.dirname(onnx_path), "model-f16.so")
    print(f"compile {name}", flush=True)
    seconds, rss = measured([models.BITNET_OPT, onnx_path, "--emit=lib", "--float-weights=f16",
                             "-o", lib], lib + ".log")
    c = models.counts(name)
    cfg = models.get_config(name)
    needed = c["ternary_params"] / 4 + c["head_params"] * 2 + c["norm_params"] * 4
    decode, prefill = speed(lib, cfg.vocab_size)
    record.update({
        "model": name, "params": c["params"], "compile_s": seconds, "compile_rss": rss,
        "lib_bytes": os.path.getsize(lib), "fp16_bytes": c["params"] * 2,
        "needed_bytes": needed, "load_s": load_seconds(lib),
        "decode_tok_s": decode, "prefill_tok_s": prefill})
    return record


def table(rows):
    lines = ["| model | params | export | export RSS | compile | compile RSS | library | "
             "vs FP16 | vs 2-bit + f16 table | load | decode tok/s | prefill tok/s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['params'] / 1e6:.0f}M | {r['export_s']:.0f} s"
            f"{' (cloned)' if r['cloned'] else ''} | {r['export_rss'] / 2**30:.1f} GiB | "
            f"{r['compile_s']:.1f} s | {r['compile_rss'] / 2**30:.2f} GiB | "
            f"{r['lib_bytes'] / 1e6:.0f} MB | {r['lib_bytes'] / r['fp16_bytes']:.2f}x | "
            f"{r['lib_bytes'] / r['needed_bytes']:.2f}x | {r['load_s'] * 1e3:.0f} ms | "
            f"{r['decode_tok_s']:.1f} | {r['prefill_tok_s']:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+",
                    default=["bytelm", "bitnet-100m", "bitnet-700m", "bitnet-2b4t"])
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "results"))
    a = ap.parse_args(argv)
    rows = []
    for name in a.models:
        rows.append(measure(a.results, name))
        print(table(rows[-1:]), flush=True)
    with open(os.path.join(a.results, "compile_scale.json"), "w") as f:
        json.dump(rows, f, indent=1)
    with open(os.path.join(a.results, "compile_scale.md"), "w") as f:
        f.write(table(rows))
    print(table(rows))


if __name__ == "__main__":
    main()
