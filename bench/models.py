"""The benchmarked models: export (ONNX, KV-cache form) and compile (bitnet-opt), cached.

Artifacts live in <results>/cache/<key>/, where the key holds the config's values, so a
changed config gets new files and a rerun reuses the old ones. The compiler binary is not
part of the key (other engineers rebuild it all day and the 700M compile is long): pass
--recompile, or delete the cache, to measure a new compiler.
"""
import hashlib
import json
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))

from bitnet.config import get_config  # noqa: E402

BITNET_OPT = os.environ.get("BITNET_OPT", os.path.join(ROOT, "build", "bin", "bitnet-opt"))
# The head (tied embedding table) at half width: the fair comparison with llama.cpp, whose
# ternary GGUFs keep token_embd in f16 here (bench/gguf_export.py).
FLOAT_WEIGHTS = "f16"
KERNELS = ("addsub", "dot")
# A variant's kernel may name a trit packing too: "dot+base3" is --ternary-kernel=dot
# --ternary-packing=base3 (5 trits a byte); without one, the target's default (base4).
PACKINGS = ("base4", "base3")
# What bitnet-mlir is measured as: both kernels with the f16 head, and the
# default kernel with the head in int8 per row (--float-weights=i8), which
# halves the bytes the largest single GEMV of a decode step reads, in each packing.
VARIANTS = tuple((k, FLOAT_WEIGHTS) for k in KERNELS) + (("dot", "i8"), ("dot+base3", "i8"))


def split_kernel(spec: str):
    """'dot+base3' -> ('dot', 'base3'); 'dot' -> ('dot', None)."""
    kernel, _, packing = spec.partition("+")
    return kernel, packing or None
HEAD_BYTES = {"f16": 2, "i8": 1, "f32": 4}
SEED = 0


def config_key(name: str) -> str:
    cfg = get_config(name)
    digest = hashlib.sha1(json.dumps(cfg.to_dict(), sort_keys=True).encode()).hexdigest()[:8]
    return f"{name}-{digest}-s{SEED}"


def cache_dir(results: str, name: str) -> str:
    path = os.path.join(results, "cache", config_key(name))
    os.makedirs(path, exist_ok=True)
    return path


def run_with_progress(cmd, label: str, log_path: str, env=None):
    """Run `cmd`, logging to log_path, printing elapsed time every 30 s (compiles of the
    large shapes take minutes and would otherwise look hung)."""
    start = time.time()
    done = threading.Event()

    def tick():
        while not done.wait(30):
            print(f"    ... {label}: {time.time() - start:.0f} s", flush=True)

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        with open(log_path, "w") as log:
            rc = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    finally:
        done.set()
    if rc != 0:
        with open(log_path) as f:
            tail = f.read()[-2000:]
        # rc -9 with nothing in the log is the kernel's OOM killer (the 700M compile peaks
        # above 10 GB).
        why = "killed by signal 9 (out of memory?)" if rc == -9 else f"rc {rc}"
        raise RuntimeError(f"{label} failed after {time.time() - start:.0f} s, {why} "
                           f"(log {log_path})\n{tail}")
    return time.time() - start


def export_onnx(results: str, name: str) -> str:
    """KV-cache ONNX with random weights (seed SEED), via the project's exporter."""
    out = os.path.join(cache_dir(results, name), "model.onnx")
    if os.path.exists(out):
        return out
    tmp = out + ".tmp.onnx"
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    cmd = [sys.executable, "-m", "bitnet.export", "--config", name, "--form", "kvcache",
           "--seed", str(SEED), "-o", tmp]
    print(f"  export {name} (kvcache)", flush=True)
    seconds = run_with_progress(cmd, f"export {name}", out + ".log", env)
    os.replace(tmp, out)  # only a complete file counts as cached
    print(f"  exported {name} in {seconds:.0f} s", flush=True)
    return out


def lib_path(results: str, name: str, kernel: str, head: str = FLOAT_WEIGHTS) -> str:
    return os.path.join(cache_dir(results, name), f"model-{kernel}-{head}.so")


def compile_lib(results: str, name: str, onnx_path: str, kernel: str,
                head: str = FLOAT_WEIGHTS, recompile: bool = False) -> str:
    """bitnet-opt --emit=lib with the given ternary kernel (and packing) and head storage."""
    out = lib_path(results, name, kernel, head)
    if os.path.exists(out) and not recompile:
        return out
    tmp = out + ".tmp.so"
    base, packing = split_kernel(kernel)
    cmd = [BITNET_OPT, onnx_path, "--emit=lib", f"--ternary-kernel={base}",
           *([f"--ternary-packing={packing}"] if packing else []),
           f"--float-weights={head}", "-o", tmp]
    print(f"  compile {name} --ternary-kernel={kernel} --float-weights={head}", flush=True)
    seconds = run_with_progress(cmd, f"compile {name} {kernel} {head}", out + ".log")
    os.replace(tmp, out)
    with open(out + ".json", "w") as f:
        json.dump({"compile_s": seconds, "cmd": cmd}, f)
    print(f"  compiled {name} ({kernel}, {head} head) in {seconds:.0f} s", flush=True)
    return out


def compile_seconds(lib_path: str):
    try:
        with open(lib_path + ".json") as f:
            return json.load(f)["compile_s"]
    except (OSError, ValueError, KeyError):
        return None


def counts(name: str) -> dict:
    """Parameter counts and per-token bytes by format, from the config (the same numbers
    bitnet-opt --bitnet-op-report prints for the ternary layers)."""
    c = get_config(name)
    h, f, kv = c.hidden_size, c.intermediate_size, c.num_kv_heads * c.head_dim
    # (out, in) of every BitLinear of one layer: q, k, v, o, gate, up, down.
    shapes = [(h, h), (kv, h), (kv, h), (h, h), (f, h), (f, h), (h, f)]
    ternary = c.num_layers * sum(o * i for o, i in shapes)
    head = c.vocab_size * h  # tied or not, the head reads vocab x hidden
    embed = 0 if c.tie_embeddings else c.vocab_size * h
    norms = c.num_layers * (2 * h + h + f) + h
    return {"ternary_params": ternary, "head_params": head, "params": ternary + head + embed + norms,
            "norm_params": norms, "layer_shapes": shapes, "num_layers": c.num_layers,
            "kv_per_token": 2 * c.num_layers * kv}  # K and V elements cached per position


def main(argv=None):
    """Prepare (export + compile) models ahead of a bench run: python bench/models.py NAME..."""
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "results"))
    a = ap.parse_args(argv)
    for name in a.models:
        onnx_path = export_onnx(a.results, name)
        for kernel, head in VARIANTS:
            compile_lib(a.results, name, onnx_path, kernel, head)


if __name__ == "__main__":
    main()
