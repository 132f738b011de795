"""Helpers shared by the end-to-end tests (test_compiled_models.py, test_exporters.py):
compiling with bitnet-opt, onnxruntime as the reference, and the logits comparison.

The tolerances and why they are what they are: see test_compiled_models.py's docstring
(int8 activation-rounding flips vs float reordering).
"""
import os
import subprocess
import time

import numpy as np
import pytest

ort = pytest.importorskip("onnxruntime")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
# $BITNET_OPT overrides (e.g. a snapshot of the binary while build/ is being rebuilt).
BITNET_OPT = os.environ.get("BITNET_OPT") or os.path.join(ROOT, "build", "bin", "bitnet-opt")
HAVE_BITNET_OPT = os.path.isfile(BITNET_OPT) and os.access(BITNET_OPT, os.X_OK)
NO_BITNET_OPT = f"bitnet-opt is not built ({BITNET_OPT} missing); build it with `ninja -C build`"

FLIP_RTOL = 5e-2   # any element: int8 rounding flips, see the module docstring
TIGHT_RTOL = 1e-5  # float reordering only: ~8x the worst measured (1.2e-6)
MIN_TIGHT_FRACTION = 0.5
MIN_ARGMAX_FRACTION = 0.95

# Largest differences seen, per kind of comparison; printed at the end (pytest -s).
STATS = {}
NEAR_TIES = []


# -- comparison helpers ------------------------------------------------------

class Agreement:
    """Accumulates comparisons of logits [n, vocab] with a reference (see the docstring).

    `stats`: a key under which STATS records the largest differences seen.
    """

    def __init__(self, what, stats=None):
        self.what, self.stats = what, stats
        self.tight_fractions = []
        self.rows = self.same_argmax = 0

    def check(self, got, want, where=""):
        what = f"{self.what} {where}".strip()
        got, want = np.asarray(got), np.asarray(want)
        assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
        assert got.dtype == np.float32, f"{what}: dtype {got.dtype}"
        assert np.isfinite(got).all(), f"{what}: non-finite logits"
        if got.size == 0:
            return
        scale = float(np.abs(want).max())
        diff = np.abs(got.astype(np.float64) - want)
        worst = float(diff.max())
        tight = diff.max(-1) <= TIGHT_RTOL * scale
        if self.stats:
            record(self.stats, worst, worst / scale, bool(tight.all()))
        assert worst <= FLIP_RTOL * scale, (
            f"{what}: max abs diff {worst:.3g} = {worst / scale:.2e} of the logit scale "
            f"{scale:.3g} (at row {int(diff.max(-1).argmax())}); rounding flips stay below "
            f"{FLIP_RTOL:g}")
        # Per sequence: a flip perturbs only the rows from its position on.
        self.tight_fractions.append(float(tight.mean()))
        self.rows += got.shape[0]
        self.same_argmax += int((got.argmax(-1) == want.argmax(-1)).sum())

    def verify(self):
        assert self.rows, f"{self.what}: nothing compared"
        tight = float(np.mean(self.tight_fractions))
        assert tight >= MIN_TIGHT_FRACTION, (
            f"{self.what}: on average only {tight:.0%} of the rows agree within {TIGHT_RTOL:g} "
            f"of the logit scale (float reordering alone gives ~1e-6): a systematic error")
        assert self.same_argmax >= MIN_ARGMAX_FRACTION * self.rows, (
            f"{self.what}: argmax differs on {self.rows - self.same_argmax}/{self.rows} rows")


def record(key, abs_diff, rel_diff, clean):
    """STATS[key]: comparisons, of which clean (all rows within TIGHT_RTOL), max abs,
    max rel, max rel of the clean ones."""
    n, n_clean, max_abs, max_rel, max_clean = STATS.get(key, (0, 0, 0.0, 0.0, 0.0))
    STATS[key] = (n + 1, n_clean + clean, max(max_abs, abs_diff), max(max_rel, rel_diff),
                  max(max_clean, rel_diff) if clean else max_clean)


def check_greedy(got, prompt, reference_rows, reference_greedy, what):
    """`got` (greedy tokens after `prompt`) vs a reference implementation.

    reference_rows: the reference's logits for every position of prompt + got[:-1]
    (one teacher-forced pass), so step i of `got` can be checked on the same prefix.
    Each chosen token must be the reference's argmax, or within the rounding-flip
    bound of it (a near-tie); without near-ties, `got` must equal reference_greedy
    (the reference's own greedy loop) token for token.
    """
    assert len(got) == len(reference_greedy), what
    steps = np.asarray(reference_rows)[len(prompt) - 1:]
    assert steps.shape[0] == len(got), what
    near_ties = []
    for i, (token, row) in enumerate(zip(got, steps)):
        best = int(np.argmax(row))
        if token != best:
            margin = float(row[best] - row[token])
            assert margin <= FLIP_RTOL * float(np.abs(row).max()), (
                f"{what}: step {i} chose token {token}, the reference prefers {best} "
                f"by {margin:.3g} (not a near-tie); got {got}, reference {reference_greedy}")
            near_ties.append(i)
            NEAR_TIES.append(f"{what}: step {i}, margin {margin:.3g}")
    if not near_ties:
        assert got == reference_greedy, f"{what}: got {got}, reference {reference_greedy}"


# -- onnxruntime reference ---------------------------------------------------

class OrtModel:
    """onnxruntime on one exported file, with the pasts a KV-cache graph needs."""

    def __init__(self, path):
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # compilations may still be running
        self.session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self.pasts = [i for i in self.session.get_inputs() if i.name.startswith("past_key_values.")]
        self.presents = ["present." + i.name[len("past_key_values."):] for i in self.pasts]
        self.has_kv_cache = bool(self.pasts)

    def empty_pasts(self):
        # [batch 1, kv_heads, past 0, head_dim]
        return {i.name: np.zeros((1, i.shape[1], 0, i.shape[3]), np.float32) for i in self.pasts}

    def full(self, tokens):
        """Logits [n, vocab] of the whole sequence in one run (empty pasts for a KV graph)."""
        feeds = {"input_ids": np.asarray([tokens], dtype=np.int64), **self.empty_pasts()}
        return self.session.run(["logits"], feeds)[0][0]

    def stepper(self):
        """A KV-cache session: step(tokens) -> logits, feeding its presents back as pasts."""
        assert self.has_kv_cache
        pasts = self.empty_pasts()

        def step(tokens):
            feeds = {"input_ids": np.asarray([tokens], dtype=np.int64), **pasts}
            logits, *presents = self.session.run(["logits", *self.presents], feeds)
            for past, present in zip(self.pasts, presents):
                assert present.shape[2] == pasts[past.name].shape[2] + len(tokens)
                pasts[past.name] = present
            return logits[0]
        return step

    def greedy(self, prompt, n):
        """Greedy generation: with the KV cache if the graph has one, else recomputing."""
        tokens = list(prompt)
        if self.has_kv_cache:
            step = self.stepper()
            logits = step(tokens)[-1]
            for i in range(n):
                tokens.append(int(np.argmax(logits)))
                if i + 1 < n:
                    logits = step(tokens[-1:])[-1]
        else:
            for _ in range(n):
                tokens.append(int(np.argmax(self.full(tokens)[-1])))
        return tokens[len(prompt):]



# -- compiling ----------------------------------------------------------

def cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 2


def compile_model(onnx_path, lib_path, timeout=900, extra=()):
    """bitnet-opt onnx_path --emit=lib [extra] -o lib_path -> (lib_path, seconds);
    RuntimeError with the compiler's messages if it fails."""
    start = time.monotonic()
    proc = subprocess.run([BITNET_OPT, onnx_path, "--emit=lib", *extra, "-o", lib_path],
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"bitnet-opt {onnx_path} --emit=lib failed ({proc.returncode}):\n"
                           f"{proc.stderr[-4000:]}")
    return lib_path, time.monotonic() - start

