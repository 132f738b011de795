"""Mutation harness: a hostile user's run against bitnet-opt.

Takes seed models (fuzz/make_seeds.py writes them), applies field-aware
mutations (op types, attribute values, dims, data types, dropped, swapped or
duplicated nodes, rewired inputs, the opset) and byte-level ones (flips,
truncations), and runs `bitnet-opt MUTANT -o out.mlirbc` on each, a share of
them under `--bitnet-compile-cpu` too. Every run ends one way:

  ok       exit 0
  error    exit 1 with a diagnostic: the file was rejected cleanly (counted
           apart as "contained" when libonnx's shape inference died in its
           child process, see docs/ONNXImport.md)
  crash    killed by a signal, or a sanitizer report
  timeout  ran past --timeout
  silent   non-zero exit with no `error:` message

Crashing, timing-out and silent inputs are kept in --keep for triage. The
exit status is 1 if any run was not ok or error.

    $VENV/bin/python fuzz/mutate_models.py --bitnet-opt build/bin/bitnet-opt \\
        --seeds build-fuzz/fuzz-seeds -n 10000 -j 2 --keep /tmp/mutants
"""

import argparse
import collections
import concurrent.futures
import copy
import glob
import os
import random
import signal
import subprocess
import sys
import tempfile

import onnx
from onnx import TensorProto

OP_TYPES = [
    "Add", "Sub", "Mul", "Div", "MatMul", "Gemm", "Reshape", "Transpose", "Slice",
    "Gather", "Concat", "Shape", "Unsqueeze", "Squeeze", "Expand", "Cast", "Where",
    "Equal", "Less", "Range", "ConstantOfShape", "Softmax", "ReduceMean", "ReduceSum",
    "ReduceMax", "Sqrt", "Pow", "Round", "Clip", "Identity", "Split", "Flatten", "Tile",
    "Pad", "Trilu", "ArgMax", "TopK", "LayerNormalization", "BitShift", "Not", "Neg",
    "Max", "Min", "Sign", "Constant", "Size", "ScatterND", "GatherElements", "If",
    "Loop", "NoValue", "Foo",
]
INTS = [0, 1, -1, 2, -2, 3, 7, 64, 255, 256, 4096, -65536, 2**31, 2**31 - 1, 2**32,
        2**40, 2**63 - 1, -2**63, -2**63 + 1]


def clamp64(v: int) -> int:
    return max(-2**63, min(2**63 - 1, v))


def interesting(rng: random.Random, current: int = 0) -> int:
    choice = rng.randrange(4)
    if choice == 0:
        return rng.choice(INTS)
    if choice == 1:
        return clamp64(current + rng.randint(-3, 3))
    if choice == 2:
        return clamp64(-current)
    return clamp64(current ^ (1 << rng.randrange(63)))


def tensors_of(graph):
    out = list(graph.initializer)
    for node in graph.node:
        for attr in node.attribute:
            if attr.HasField("t"):
                out.append(attr.t)
    return out


def value_infos(graph):
    return list(graph.input) + list(graph.output) + list(graph.value_info)


def value_names(graph):
    names = [v.name for v in graph.input] + [t.name for t in graph.initializer]
    for node in graph.node:
        names.extend(node.output)
    return names


def mutate_attribute(node, rng):
    if not node.attribute or rng.randrange(5) == 0:
        attr = node.attribute.add()
        attr.name = rng.choice(["axis", "axes", "perm", "to", "keepdims", "start", "end",
                                "value", "direction", "fmod", "k", "upper"])
        attr.type = onnx.AttributeProto.INT
        attr.i = interesting(rng)
        return "add attribute"
    attr = rng.choice(node.attribute)
    kind = rng.randrange(6)
    if kind == 0:
        attr.i = interesting(rng, attr.i)
    elif kind == 1:
        if attr.ints:
            i = rng.randrange(len(attr.ints))
            attr.ints[i] = interesting(rng, attr.ints[i])
        else:
            attr.ints.append(interesting(rng))
    elif kind == 2:
        if attr.ints and rng.randrange(2):
            del attr.ints[-1]
        else:
            attr.ints.append(interesting(rng, 1))
    elif kind == 3:
        attr.f = rng.choice([-attr.f, attr.f * 1e30, float("nan"), float("inf"), 0.0])
    elif kind == 4:
        attr.type = rng.randrange(15)
    elif attr.HasField("t"):
        attr.t.data_type = rng.randrange(25)
    else:
        attr.s = rng.choice([b"RIGHT", b"", b"\xff" * 3])
    return "attribute"


def mutate_tensor(tensor, rng):
    kind = rng.randrange(6)
    if kind == 0 and tensor.dims:
        i = rng.randrange(len(tensor.dims))
        tensor.dims[i] = interesting(rng, tensor.dims[i])
    elif kind == 1:
        if tensor.dims and rng.randrange(2):
            del tensor.dims[-1]
        else:
            tensor.dims.append(interesting(rng, 1))
    elif kind == 2:
        tensor.data_type = rng.randrange(25)
    elif kind == 3:
        if tensor.HasField("raw_data"):
            raw = tensor.raw_data
            if raw and rng.randrange(2):
                tensor.raw_data = raw[:rng.randrange(len(raw))]
            else:
                tensor.raw_data = raw + bytes([rng.randrange(256)]) * rng.randint(1, 16)
        else:
            tensor.int64_data.append(interesting(rng))
    elif kind == 4 and tensor.HasField("raw_data") and tensor.raw_data:
        raw = bytearray(tensor.raw_data)
        at = rng.randrange(len(raw)) & ~7
        value = interesting(rng).to_bytes(8, "little", signed=True)
        raw[at:at + 8] = value[:len(raw) - at]
        tensor.raw_data = bytes(raw)
    else:
        tensor.data_location = TensorProto.EXTERNAL
    return "tensor"


def mutate_model(model, rng):
    graph = model.graph
    kind = rng.randrange(12)
    if kind == 0 and graph.node:
        rng.choice(graph.node).op_type = rng.choice(OP_TYPES)
        return "op type"
    if kind in (1, 2) and graph.node:
        return mutate_attribute(rng.choice(graph.node), rng)
    if kind in (3, 4):
        tensors = tensors_of(graph)
        if tensors:
            return mutate_tensor(rng.choice(tensors), rng)
    if kind == 5:
        infos = value_infos(graph)
        if infos:
            tt = rng.choice(infos).type.tensor_type
            if rng.randrange(2):
                tt.elem_type = rng.randrange(25)
                return "elem type"
            dims = tt.shape.dim
            if dims and rng.randrange(3):
                d = rng.choice(dims)
                d.dim_value = interesting(rng, d.dim_value)
            elif rng.randrange(2):
                tt.shape.dim.add().dim_value = interesting(rng, 1)
            else:
                tt.ClearField("shape")
            return "dims"
    if kind == 6 and graph.node:
        del graph.node[rng.randrange(len(graph.node))]
        return "drop node"
    if kind == 7 and len(graph.node) > 1:
        i, j = rng.randrange(len(graph.node)), rng.randrange(len(graph.node))
        a, b = copy.deepcopy(graph.node[i]), copy.deepcopy(graph.node[j])
        graph.node[i].CopyFrom(b)
        graph.node[j].CopyFrom(a)
        return "swap nodes"
    if kind == 8 and graph.node:
        graph.node.add().CopyFrom(rng.choice(graph.node))
        return "duplicate node"
    if kind == 9 and graph.node:
        node = rng.choice(graph.node)
        names = value_names(graph)
        if names:
            if node.input and rng.randrange(4):
                node.input[rng.randrange(len(node.input))] = rng.choice(names)
            else:
                node.input.append(rng.choice(names))
            return "rewire"
    if kind == 10:
        for entry in model.opset_import:
            if entry.domain in ("", "ai.onnx"):
                entry.version = rng.randint(11, 23)
        return "opset"
    if graph.value_info and rng.randrange(2):
        del graph.value_info[rng.randrange(len(graph.value_info))]
        return "drop value_info"
    if graph.node:
        node = rng.choice(graph.node)
        if node.output:
            del node.output[-1]
            return "drop output"
    return "none"


def byte_mutation(data: bytes, rng) -> (bytes, str):
    if not data:
        return data, "empty"
    kind = rng.randrange(3)
    if kind == 0:
        return data[:rng.randrange(len(data))], "truncate"
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(buf))
        buf[i] = buf[i] ^ (1 << rng.randrange(8)) if kind == 1 else rng.randrange(256)
    return bytes(buf), "byte flips" if kind == 1 else "byte writes"


def make_mutant(seed_bytes: bytes, seed_model, rng) -> (bytes, str):
    if rng.random() < 0.8:
        model = onnx.ModelProto()
        model.CopyFrom(seed_model)
        what = [mutate_model(model, rng) for _ in range(rng.randint(1, 3))]
        return model.SerializeToString(), "+".join(what)
    return byte_mutation(seed_bytes, rng)


def classify(proc) -> str:
    text = proc.stderr.decode(errors="replace")
    if proc.returncode < 0 or "Sanitizer" in text or "LLVM ERROR" in text or \
            "PLEASE submit a bug report" in text or "Stack dump" in text:
        return "crash"
    if proc.returncode == 0:
        return "ok"
    return "error" if "error:" in text else "silent"


def run_one(args, index, data, what, compile_cpu):
    with tempfile.TemporaryDirectory(prefix="bitnet-mutant-") as tmp:
        path = os.path.join(tmp, "model.onnx")
        with open(path, "wb") as f:
            f.write(data)
        cmd = [args.bitnet_opt, path, "-o", os.path.join(tmp, "out.mlirbc")]
        if compile_cpu:
            cmd.append("--bitnet-compile-cpu")
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=args.timeout)
            outcome = classify(proc)
            detail = proc.stderr.decode(errors="replace")[-2000:]
            if outcome == "error" and "ONNX shape inference (libonnx)" in detail:
                what += " [contained]"
            if proc.returncode < 0:
                detail = f"signal {signal.Signals(-proc.returncode).name}\n" + detail
        except subprocess.TimeoutExpired:
            outcome, detail = "timeout", ""
        contained = what.endswith("[contained]")
        if (outcome in ("crash", "timeout", "silent") or contained) and args.keep:
            if contained:
                outcome_name = "contained"
            else:
                outcome_name = outcome
            os.makedirs(args.keep, exist_ok=True)
            base = os.path.join(args.keep, f"{outcome_name}-{index:06d}")
            with open(base + ".onnx", "wb") as f:
                f.write(data)
            with open(base + ".txt", "w") as f:
                f.write(" ".join(cmd) + "\n" + what + "\n" + detail)
        return outcome, what, compile_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bitnet-opt", required=True)
    parser.add_argument("--seeds", required=True, help="directory of seed .onnx files")
    parser.add_argument("-n", "--runs", type=int, default=1000)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compile-share", type=float, default=0.1,
                        help="share of runs that also pass --bitnet-compile-cpu")
    parser.add_argument("--max-seed-bytes", type=int, default=1 << 20,
                        help="skip seeds larger than this (run time)")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--keep", help="directory for crashing and hanging inputs")
    args = parser.parse_args()

    seeds = []
    for path in sorted(glob.glob(os.path.join(args.seeds, "*.onnx"))):
        if os.path.getsize(path) > args.max_seed_bytes:
            continue
        with open(path, "rb") as f:
            data = f.read()
        seeds.append((os.path.basename(path), data, onnx.load_from_string(data)))
    if not seeds:
        print(f"no seeds in {args.seeds}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    counts = collections.Counter()
    by_kind = collections.defaultdict(collections.Counter)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = []
        for i in range(args.runs):
            name, data, model = rng.choice(seeds)
            mutant, what = make_mutant(data, model, rng)
            compile_cpu = rng.random() < args.compile_share
            futures.append(pool.submit(run_one, args, i, mutant, f"{name}: {what}", compile_cpu))
        for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
            outcome, what, compile_cpu = future.result()
            counts[outcome] += 1
            if what.endswith("[contained]"):
                counts["contained"] += 1
            counts["compile-cpu " + outcome if compile_cpu else "import " + outcome] += 1
            by_kind[what.split(": ", 1)[1].split("+")[0]][outcome] += 1
            if n % 500 == 0:
                print(f"{n} runs: " + ", ".join(f"{k} {counts[k]}" for k in
                                                ("ok", "error", "crash", "timeout", "silent")),
                      flush=True)
    print(f"{args.runs} runs over {len(seeds)} seeds: " + ", ".join(
        f"{k} {counts[k]}" for k in ("ok", "error", "crash", "timeout", "silent")))
    print(f"  errors from libonnx shape inference dying in its child: {counts['contained']}")
    for key in sorted(k for k in counts if " " in k):
        print(f"  {key}: {counts[key]}")
    bad = counts["crash"] + counts["timeout"] + counts["silent"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
