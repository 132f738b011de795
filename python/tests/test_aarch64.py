"""AArch64 model libraries, compiled on this x86 machine and run under qemu-user.

`bitnet-opt --target=aarch64-linux-gnu --emit=lib` links with clang and Debian's cross
toolchain; the library runs under qemu-aarch64 with the cross sysroot, driven by
model_driver.c (cross-compiled here) for logits and KV-cache decoding and by the
cross-built bitnet-run (build/aarch64/bin/bitnet-run) for greedy generation. The
reference is onnxruntime on the host, with the tolerances of test_compiled_models.py
(compile_helpers.Agreement).

Two models keep the added time small: tiny (GQA, tied head) as a KV-cache graph with
the dot-product kernel at a dotprod CPU (cortex-a76), and odd (sizes that are not
multiples of the SIMD widths) as a recomputing graph with the add/subtract kernel at a
CPU without dotprod (cortex-a53).
"""
import os
import shutil
import subprocess

import numpy as np
import pytest

ort = pytest.importorskip("onnxruntime")

from bitnet import get_config  # noqa: E402
from compile_helpers import (BITNET_OPT, HAVE_BITNET_OPT, NO_BITNET_OPT, ROOT,  # noqa: E402
                             Agreement, OrtModel, check_greedy)

SYSROOT = "/usr/aarch64-linux-gnu"
QEMU = shutil.which("qemu-aarch64-static") or shutil.which("qemu-aarch64")
CROSS_CC = shutil.which("aarch64-linux-gnu-gcc")
BITNET_RUN = os.path.join(os.path.dirname(os.path.dirname(BITNET_OPT)), "aarch64", "bin",
                          "bitnet-run")


def _missing():
    if not HAVE_BITNET_OPT:
        return NO_BITNET_OPT
    if not QEMU:
        return "qemu-aarch64-static is not installed (apt-get install qemu-user-static)"
    if not CROSS_CC or not os.path.isfile(os.path.join(SYSROOT, "lib", "crti.o")):
        return ("the AArch64 cross toolchain is not installed (apt-get install "
                "gcc-aarch64-linux-gnu libc6-dev-arm64-cross)")
    if not os.path.isfile(BITNET_RUN):
        return (f"the AArch64 bitnet-run is not built ({BITNET_RUN} missing: install "
                "g++-aarch64-linux-gnu and re-run cmake)")
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")

# (config, form, --mcpu, --ternary-kernel)
MODELS = {
    "tiny-kvcache": ("tiny", "kvcache", "cortex-a76", "dot"),
    "odd-inference": ("odd", "inference", "cortex-a53", "addsub"),
}
N_PROMPTS = 4
GEN_TOKENS = 8


def qemu(*args, **kwargs):
    return subprocess.run([QEMU, "-L", SYSROOT, *args], capture_output=True, timeout=300,
                          **kwargs)


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("driver") / "model_driver")
    subprocess.run([CROSS_CC, "-O2", "-std=c11", "-I", os.path.join(ROOT, "include"),
                    os.path.join(os.path.dirname(__file__), "model_driver.c"), "-o", path,
                    "-ldl"], check=True)
    return path


@pytest.fixture(scope="module")
def libraries(exported, tmp_path_factory):
    """name -> (onnx path, AArch64 library), every compilation started at once."""
    root = tmp_path_factory.mktemp("aarch64")
    jobs = {}
    for name, (config, form, cpu, kernel) in MODELS.items():
        onnx_path = exported(config, form)
        lib = str(root / f"{name}.so")
        jobs[name] = (onnx_path, lib, subprocess.Popen(
            [BITNET_OPT, onnx_path, "--target=aarch64-linux-gnu", f"--mcpu={cpu}",
             f"--ternary-kernel={kernel}", "--emit=lib", "-o", lib],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    result = {}
    for name, (onnx_path, lib, proc) in jobs.items():
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, f"bitnet-opt for {name} failed:\n{err[-4000:]}"
        result[name] = (onnx_path, lib)
    return result


class QemuModel:
    """A model library under qemu: runs a script of calls, returns their logits."""

    def __init__(self, driver, lib, vocab):
        self.driver, self.lib, self.vocab = driver, lib, vocab

    def calls(self, script):
        """script: a list of token lists (None: reset) -> one logits array per call."""
        text = "".join("reset\n" if t is None else "run " + " ".join(map(str, t)) + "\n"
                       for t in script)
        proc = qemu(self.driver, self.lib, input=text.encode())
        assert proc.returncode == 0, proc.stderr.decode()
        flat = np.frombuffer(proc.stdout, np.float32)
        out, at = [], 0
        for tokens in script:
            if tokens is None:
                continue
            n = len(tokens) * self.vocab
            out.append(flat[at:at + n].reshape(len(tokens), self.vocab))
            at += n
        assert at == flat.size, "the driver wrote more logits than asked for"
        return out


def prompts(config, count=N_PROMPTS):
    cfg = get_config(config)
    rng = np.random.default_rng([13, cfg.vocab_size])
    lengths = [11, *(int(n) for n in rng.integers(5, 20, size=count - 1))]
    return [[int(t) for t in rng.integers(0, cfg.vocab_size, size=n)] for n in lengths]


def model(driver, libraries, name):
    onnx_path, lib = libraries[name]
    return QemuModel(driver, lib, get_config(MODELS[name][0]).vocab_size), OrtModel(onnx_path)


def test_libraries_are_aarch64_without_openmp(libraries):
    for name, (_, lib) in libraries.items():
        with open(lib, "rb") as f:
            header = f.read(20)
        assert header[:4] == b"\x7fELF" and header[18:20] == (183).to_bytes(2, "little"), (
            f"{name}: not an AArch64 ELF file")
        needed = subprocess.run(["llvm-readelf-22" if shutil.which("llvm-readelf-22")
                                 else "readelf", "-d", lib], capture_output=True, text=True)
        assert "libomp" not in needed.stdout, f"{name}: links libomp\n{needed.stdout}"


@pytest.mark.parametrize("name", MODELS)
def test_logits_match_onnxruntime(driver, libraries, name):
    compiled, reference = model(driver, libraries, name)
    config = MODELS[name][0]
    script = []
    for p in prompts(config):
        script += [None, p]
    agreement = Agreement(f"aarch64 {name} vs onnxruntime", "aarch64: vs onnxruntime")
    for i, (got, p) in enumerate(zip(compiled.calls(script), prompts(config))):
        agreement.check(got, reference.full(p), f"prompt {i} ({len(p)} tokens)")
    agreement.verify()


def test_kv_decoding_matches_onnxruntime_stepping(driver, libraries):
    """Token-by-token decoding with the library's KV cache, against onnxruntime stepping
    with its presents fed back."""
    compiled, reference = model(driver, libraries, "tiny-kvcache")
    first = 4
    script, expected = [], []
    for p in prompts("tiny"):
        script += [None, p[:first], *([t] for t in p[first:])]
        step = reference.stepper()
        expected.append(np.concatenate([step(p[:first])] + [step([t]) for t in p[first:]]))
    rows = compiled.calls(script)
    agreement = Agreement("aarch64 tiny decode vs onnxruntime stepping",
                          "aarch64: decode vs onnxruntime stepping")
    at = 0
    for i, (p, want) in enumerate(zip(prompts("tiny"), expected)):
        calls = 1 + len(p) - first
        agreement.check(np.concatenate(rows[at:at + calls]), want, f"prompt {i}")
        at += calls
    agreement.verify()


@pytest.mark.parametrize("name", MODELS)
def test_bitnet_run_greedy_matches_onnxruntime(libraries, name):
    onnx_path, lib = libraries[name]
    reference = OrtModel(onnx_path)
    prompt = prompts(MODELS[name][0])[0]
    proc = qemu(BITNET_RUN, lib, "--tokens", " ".join(map(str, prompt)), "-n",
                str(GEN_TOKENS), "--quiet", text=True)
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.splitlines()[0]
    assert line.startswith("tokens:"), proc.stdout
    got = [int(t) for t in line.split()[1:]]
    check_greedy(got, prompt, reference.full(prompt + got[:-1]),
                 reference.greedy(prompt, GEN_TOKENS), f"aarch64 {name} greedy")


def test_threads_are_refused_without_openmp(libraries):
    _, lib = libraries["tiny-kvcache"]
    proc = qemu(BITNET_RUN, lib, "--tokens", "1 2 3", "-n", "1", "--threads", "2", text=True)
    assert proc.returncode != 0
    assert "linked without OpenMP" in proc.stderr, proc.stderr

