"""The benchmark, in one run: python bench/bench.py [--smoke] (bench/run.sh installs first).

Exports and compiles each model (cached), measures DRAM bandwidth, runs every system at
every thread count in its own process (worker.py), and writes results.md, results.json and
tok_s.png into the results folder. Systems that are not installed or fail are reported as
"n/a: reason" rows; --smoke runs the tiny config in seconds and fails on any error of an
installed system.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bandwidth  # noqa: E402
import models  # noqa: E402
import report  # noqa: E402
import roofline  # noqa: E402
from bitnet.config import get_config  # noqa: E402  (models.py put python/ on the path)

FULL_MODELS = ("bytelm", "bitnet-100m", "untuned-1000", "bitnet-700m")


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
        name = next(l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("model name"))
        vnni = " AVX-512 VNNI" if "avx512_vnni" in text else ""
        return f"{name}, {os.cpu_count()} cores{vnni}"
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


def importable(module: str) -> str:
    """'' if `module` imports in a worker's interpreter, else the reason."""
    p = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    return "" if p.returncode == 0 else (p.stderr.strip().splitlines() or ["import failed"])[-1]


def run_worker(spec: dict, timeout_s: float) -> dict:
    try:
        p = subprocess.run([sys.executable, os.path.join(HERE, "worker.py"), json.dumps(spec)],
                           capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout_s:.0f} s"}
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if not lines:
        tail = (p.stderr.strip().splitlines() or [f"exit status {p.returncode}"])[-1]
        return {"error": f"worker died (rc {p.returncode}): {tail[:300]}"}
    return json.loads(lines[-1])


class Bench:
    def __init__(self, a):
        self.a = a
        self.rows, self.skipped, self.failures = [], [], []
        self.bw = {}

    def skip(self, what: str):
        print(f"  skip: {what}", flush=True)
        self.skipped.append(what)

    def spec(self, system, path, cfg, threads):
        a = self.a
        return {"system": system, "path": path, "threads": threads, "vocab": cfg.vocab_size,
                "prompt_n": a.prompt_n, "decode_n": a.decode_n, "prefill_n": a.prefill_n,
                "repeats": a.repeats, "budget_s": a.budget_s, "n_ctx": 512 if not a.smoke else 64,
                "kv_heads": cfg.num_kv_heads, "head_dim": cfg.head_dim, "layers": cfg.num_layers}

    def measure(self, name, system, variant, path, nbytes, threads_list, notes=""):
        """Run one system (one worker per call) and add a row per thread count."""
        cfg, counts = get_config(name), models.counts(name)
        print(f"  run {system} {variant} threads={threads_list}", flush=True)
        start = time.time()
        out = run_worker(self.spec(system, path, cfg, threads_list), self.a.worker_timeout)
        base = {"model": name, "params": counts["params"], "system": system, "variant": variant}
        if "error" in out:
            self.failures.append(f"{name} {system} {variant}: {out['error']}")
            print(f"    n/a: {out['error']}", flush=True)
            if out.get("traceback") and self.a.smoke:
                print(out["traceback"], flush=True)
        for t in threads_list:
            r = out.get("threads", {}).get(str(t))
            if r is None:
                self.rows.append({**base, "threads": t, "error": out.get("error", "no result")})
                continue
            roof = roofline.roofline(self.bw[str(t)], nbytes)
            dec, pre = r["decode"]["tok_s"], r["prefill"]["tok_s"]
            self.rows.append({**base, "threads": t, "decode_tok_s": dec, "prefill_tok_s": pre,
                              "decode": r["decode"], "prefill": r["prefill"],
                              "bytes_per_token": nbytes, "roofline_tok_s": roof,
                              "roofline_share": dec / roof, "notes": notes,
                              "load": [r["load_before"], r["load_after"]]})
            print(f"    {t}T: decode {dec:.1f} tok/s ({100 * dec / roof:.0f}% of roofline), "
                  f"prefill {pre:.1f} tok/s", flush=True)
        print(f"    ({time.time() - start:.0f} s)", flush=True)

    def model(self, name):
        a, cfg, counts = self.a, get_config(name), models.counts(name)
        print(f"== {name}: {counts['params'] / 1e6:.1f}M parameters "
              f"({counts['ternary_params'] / 1e6:.1f}M ternary)", flush=True)
        ctx = a.prompt_n + a.decode_n / 2  # mean context over the decode run
        onnx_path = models.export_onnx(a.results, name)
        fp32 = roofline.bytes_per_token(counts, "fp32", 4, 4, ctx)

        if "bitnet-mlir" in a.systems:
            for kernel, head in a.variants:
                packing = models.split_kernel(kernel)[1] or "base4"
                nbytes = roofline.bytes_per_token(counts, f"{packing} packed",
                                                  models.HEAD_BYTES[head], 4, ctx)
                variant = f"{kernel}, {head} head"
                lib = models.lib_path(a.results, name, kernel, head)
                if a.no_compile and not os.path.exists(lib):
                    # Compiles of the large shapes take long on a loaded machine: measure the
                    # others now, compile with `python bench/models.py NAME` later.
                    for t in a.threads:
                        self.rows.append({"model": name, "params": counts["params"],
                                          "system": "bitnet-mlir", "variant": variant,
                                          "threads": t, "error": "not compiled (--no-compile)"})
                    self.skip(f"bitnet-mlir {variant} on {name}: not compiled (--no-compile)")
                    continue
                try:
                    lib = models.compile_lib(a.results, name, onnx_path, kernel, head,
                                             recompile=a.recompile)
                except RuntimeError as e:  # a failed compile is a result, not the end of the run
                    error = str(e).splitlines()[0]
                    self.failures.append(f"{name} bitnet-mlir {variant}: {error}")
                    for t in a.threads:
                        self.rows.append({"model": name, "params": counts["params"],
                                          "system": "bitnet-mlir", "variant": variant,
                                          "threads": t, "error": error})
                    continue
                secs = models.compile_seconds(lib)
                self.measure(name, "bitnet-mlir", variant, lib,
                             nbytes, a.threads, f"compiled in {secs:.0f} s" if secs else "")

        if "onnxruntime" in a.systems:
            import onnxruntime
            self.measure(name, "onnxruntime", f"FP32 {onnxruntime.__version__}", onnx_path,
                         fp32, a.threads)

        if "llama.cpp" in a.systems:
            why = importable("llama_cpp") or importable("gguf")
            if why:
                self.skip(f"llama.cpp on {name}: {why} (bench/setup.sh installs it)")
            else:
                self.llama(name, counts, ctx)

        if "iree" in a.systems:
            self.iree(name, onnx_path, fp32)

    def llama(self, name, counts, ctx):
        import gguf_export
        for fmt in gguf_export.FORMATS:
            path = os.path.join(models.cache_dir(self.a.results, name), f"model-{fmt}.gguf")
            info_path = path + ".json"
            if not os.path.exists(path) or not os.path.exists(info_path):
                print(f"  write GGUF {fmt}", flush=True)
                info = gguf_export.write_gguf(name, models.SEED, fmt, path)
                with open(info_path, "w") as f:
                    json.dump(info, f)
            with open(info_path) as f:
                info = json.load(f)
            nbytes = roofline.bytes_per_token(counts, fmt, 2, 2, ctx, info["ternary_bytes"])
            fallback = len(info["fallback_f16"])
            notes = (f"{fallback} of {7 * counts['num_layers']} matrices F16 (rows not a multiple "
                     "of 256); SiLU GLU" if fallback else "SiLU GLU")
            self.measure(name, "llama.cpp", f"{fmt}, f16 head", path, nbytes, self.a.threads, notes)

    def iree(self, name, onnx_path, nbytes):
        import sys_iree
        why = sys_iree.available()
        if why:
            self.skip(f"IREE on {name}: {why} (bench/setup.sh installs it)")
            return
        out = os.path.join(models.cache_dir(self.a.results, name), "model-iree.vmfb")
        failed = out + ".failed"  # a failed compile is cached too: it can take many minutes
        if os.path.exists(failed) and not self.a.recompile:
            error = open(failed).read()
        else:
            if not os.path.exists(out):
                print("  compile IREE (iree-import-onnx, iree-compile)", flush=True)
            try:
                sys_iree.compile_vmfb(onnx_path, out, self.a.iree_timeout)
                error = ""
            except RuntimeError as e:
                error = str(e)
                with open(failed, "w") as f:
                    f.write(error)
        if error:
            counts = models.counts(name)
            for t in self.a.threads:
                self.rows.append({"model": name, "params": counts["params"], "system": "IREE",
                                  "variant": "FP32 llvm-cpu", "threads": t, "error": error})
            print(f"    n/a: {error}", flush=True)
            return
        for t in self.a.threads:  # one process per thread count: IREE reads its flag once
            self.measure(name, "IREE", "FP32 llvm-cpu", out, nbytes, [t])


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default=",".join(f"{k}:{h}" for k, h in models.VARIANTS),
                    help="bitnet-mlir kernel:head pairs (default %(default)s)")
    ap.add_argument("--smoke", action="store_true", help="tiny config, seconds long (CI)")
    ap.add_argument("--models", help=f"comma-separated configs (default {','.join(FULL_MODELS)})")
    ap.add_argument("--systems", default="bitnet-mlir,onnxruntime,llama.cpp,iree")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--results", help="results folder (default bench/results[/smoke])")
    ap.add_argument("--repeats", type=int, help="runs per measurement; the median is kept")
    ap.add_argument("--budget-s", type=float, default=60,
                    help="stop repeating a measurement after this many seconds")
    ap.add_argument("--recompile", action="store_true", help="ignore cached compiles")
    ap.add_argument("--no-compile", action="store_true",
                    help="measure only bitnet-mlir libraries already in the cache")
    ap.add_argument("--iree-timeout", type=float, default=900)
    ap.add_argument("--worker-timeout", type=float, default=1800)
    a = ap.parse_args(argv)
    a.results = a.results or os.path.join(HERE, "results", "smoke" if a.smoke else "")
    a.variants = [tuple(v.split(":", 1)) for v in a.variants.split(",") if v]
    for kernel, head in a.variants:
        base, packing = models.split_kernel(kernel)
        if (base not in models.KERNELS or head not in models.HEAD_BYTES
                or packing not in (None, *models.PACKINGS)):
            ap.error(f"--variants: unknown kernel:head '{kernel}:{head}'")
    a.models = a.models.split(",") if a.models else (["tiny"] if a.smoke else list(FULL_MODELS))
    a.systems = a.systems.split(",")
    a.threads = [int(t) for t in a.threads.split(",")]
    # Smoke: few tokens (tiny's positions end at 128), one run each; every path still runs.
    a.prompt_n, a.decode_n, a.prefill_n = (4, 8, 16) if a.smoke else (8, 128, 128)
    a.repeats = a.repeats or (1 if a.smoke else 5)
    if a.smoke:
        a.budget_s, a.iree_timeout, a.worker_timeout = 5, 300, 300
    return a


def main(argv=None):
    a = parse(argv)
    bench = Bench(a)
    start, load_start = time.time(), os.getloadavg()[0]
    print(f"bench: {'smoke' if a.smoke else 'full'}, models {a.models}, results in {a.results}",
          flush=True)
    size = 64 if a.smoke else 2048  # MiB; the full run reads 8x the 260 MiB L3
    for t in a.threads:
        bench.bw[str(t)] = bandwidth.read_bandwidth(t, size)
        print(f"DRAM read bandwidth, {t} thread(s): {bench.bw[str(t)] / 1e9:.1f} GB/s", flush=True)
    for name in a.models:
        bench.model(name)
    res = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "smoke": a.smoke, "machine": cpu_name(), "load_start": load_start,
           "load_end": os.getloadavg()[0], "bandwidth_gb_s": {t: b / 1e9 for t, b in bench.bw.items()},
           "prompt_n": a.prompt_n, "decode_n": a.decode_n, "prefill_n": a.prefill_n,
           "repeats": a.repeats, "float_weights": models.FLOAT_WEIGHTS, "rows": bench.rows,
           "skipped": bench.skipped, "failures": bench.failures,
           "wall_s": time.time() - start}
    for path in report.write_all(res, a.results):
        print(f"wrote {path}")
    print(report.markdown(res))
    for s in bench.skipped:
        print(f"skipped: {s}")
    print(f"bench: {time.time() - start:.0f} s, {len(bench.failures)} failure(s)")
    # Smoke fails on any error of an installed system: that is what keeps the bench alive.
    return 1 if (a.smoke and bench.failures) else 0


if __name__ == "__main__":
    sys.exit(main())
