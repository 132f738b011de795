"""llvm-mca reports of the BitLinear inner loop, per target CPU and kernel.

For each (triple, CPU, kernel): bitnet-opt compiles a one-layer module
(kernel_mlir.py: 64 x 1024 per-channel ternary weights, one token) to
optimized LLVM IR for that CPU, llc-22 turns it into assembly, and the
innermost loop of the ternary product (the one holding the most SIMD
instructions; its trip count covers all 1,024 inputs of a row) goes to
llvm-mca-22 for the same CPU. The loop's trits per iteration come from its
weight loads (16 packed bytes = 64 trits each), so

    cycles per 1,024 weights = cycles per iteration * 1024 / trits per iteration

This is the steady-state throughput of the loop body alone (no cache
misses, no loop overhead outside it, no activation permute or rescale).

  python bench/aarch64/mca.py [--bitnet-opt build/bin/bitnet-opt] [--json out.json]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from kernel_mlir import kernel_module  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
LLC = "llc-22"
MCA = "llvm-mca-22"

# (label, triple, cpu)
TARGETS = [
    ("Cortex-A76 (Raspberry Pi 5)", "aarch64-linux-gnu", "cortex-a76"),
    ("Neoverse-V1 (Graviton3)", "aarch64-linux-gnu", "neoverse-v1"),
    ("Emerald Rapids (x86, AVX-512 VNNI)", "x86_64-linux-gnu", "emeraldrapids"),
]
KERNELS = ["addsub", "dot"]


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def inner_loops(asm, comment):
    """The innermost loops of `asm`: (header label, instruction lines) each, from
    the label llc marks `Inner Loop Header` (on its line or the next) to the
    branch back to it."""
    lines = asm.splitlines()
    loops = []
    for i, line in enumerate(lines):
        if "Inner Loop Header" not in line:
            continue
        j = i
        while j >= 0 and not re.match(r"^\.LBB\w+:", lines[j]):
            j -= 1
        label = re.match(r"^(\.LBB\w+):", lines[j]).group(1)
        body = []
        for l in lines[i + 1:]:
            s = l.split(comment)[0].strip()
            if not s or s.endswith(":") or s.startswith("."):
                continue
            body.append(s)
            if re.search(r"(?<![\w.])" + re.escape(label) + r"\b", s):
                break
        loops.append((label, body))
    return loops


def is_simd(ins):
    # AArch64 NEON registers (v0.16b, q1) or x86 xmm/ymm/zmm.
    return bool(re.search(r"\bv\d+\.\d+[bhsd]\b|\bq\d+\b|[xyz]mm\d+", ins))


def weight_loads(body, triple):
    """16-byte loads of the packed weights in a loop body: one per 64 trits."""
    if triple.startswith("aarch64"):
        # ldr q<n>, [...]: the weights, 16 bytes; the activations come as
        # 64-byte groups (ldp of two q registers).
        return sum(1 for ins in body if re.match(r"ldr\s+q\d+, \[", ins))
    # x86 (AT&T): the 16 bytes broadcast to a zmm or ymm, or loaded into an xmm.
    return sum(1 for ins in body
               if re.match(r"vbroadcasti(32x4|128)\s+-?\d*\(", ins)
               or re.match(r"vmovdq[au]\S*\s+-?\d*\([^)]*\), %xmm", ins))


def mca(body, triple, cpu):
    out = run([MCA, f"-mtriple={triple}", f"-mcpu={cpu}", "-iterations=200"],
              input="\n".join(body) + "\n")
    cycles = int(re.search(r"Total Cycles:\s+(\d+)", out).group(1))
    iters = int(re.search(r"Iterations:\s+(\d+)", out).group(1))
    return cycles / iters, out


def measure(bitnet_opt, triple, cpu, kernel, tmp):
    mlir = os.path.join(tmp, "kernel.mlir")
    with open(mlir, "w") as f:
        f.write(kernel_module())
    ll = os.path.join(tmp, f"{cpu}-{kernel}.ll")
    run([bitnet_opt, mlir, f"--target={triple}", f"--mcpu={cpu}", f"--ternary-kernel={kernel}",
         "--emit=llvm", "-o", ll])
    asm = run([LLC, "-O3", ll, "-o", "-"])
    loops = inner_loops(asm, "//" if triple.startswith("aarch64") else "#")
    # The kernel's loop: weight loads, and the most SIMD work.
    kernels = [lb for lb in loops if weight_loads(lb[1], triple)]
    if not kernels:
        sys.exit(f"{cpu} {kernel}: no inner loop loads packed weights")
    label, body = max(kernels, key=lambda lb: sum(map(is_simd, lb[1])))
    loads = weight_loads(body, triple)
    if loads == 0:
        sys.exit(f"{cpu} {kernel}: no weight loads found in the inner loop {label}:\n"
                 + "\n".join(body))
    per_iter, report = mca(body, triple, cpu)
    trits = 64 * loads
    return {"triple": triple, "cpu": cpu, "kernel": kernel, "instructions": len(body),
            "trits_per_iteration": trits, "cycles_per_iteration": round(per_iter, 2),
            "cycles_per_1024": round(per_iter * 1024 / trits, 1),
            "sdot_udot": sum(1 for i in body if re.match(r"[su]dot\s", i)),
            "vpdpbusd": sum(1 for i in body if i.startswith("vpdpbusd")),
            "vpmaddubsw": sum(1 for i in body if i.startswith("vpmaddubsw")),
            "loop": body, "mca": report}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bitnet-opt", default=os.path.join(ROOT, "build", "bin", "bitnet-opt"))
    p.add_argument("--json", help="write every result, with loops and reports, here")
    args = p.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, triple, cpu in TARGETS:
            for kernel in KERNELS:
                r = measure(args.bitnet_opt, triple, cpu, kernel, tmp)
                r["label"] = label
                results.append(r)
    print("| target | kernel | loop instructions | trits/iteration | cycles/iteration "
          "| cycles per 1,024 weights | dot instructions |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        dots = r["sdot_udot"] or r["vpdpbusd"]
        print(f"| {r['label']} | {r['kernel']} | {r['instructions']} | {r['trits_per_iteration']} "
              f"| {r['cycles_per_iteration']} | {r['cycles_per_1024']} | {dots} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
