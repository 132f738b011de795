"""The one measurement protocol every system goes through, so that numbers compare.

A system is an object with reset() (empty sequence / KV cache) and run(tokens) (append
tokens, compute their logits). Decode: reset, run a short prompt, then time `decode_n`
single-token runs. Prefill: reset, time one run of a `prefill_n`-token prompt. Each is
repeated and the median kept; a warm-up pass first faults in the weights (mmap'ed
libraries and GGUFs) and lets thread pools spin up.
"""
import statistics
import time

import numpy as np


def tokens(vocab: int, n: int, seed: int) -> list:
    # Fixed pseudo-random ids: the speed of these models does not depend on the ids, and
    # feeding the same ids to every system keeps the work identical.
    return [int(t) for t in np.random.default_rng(seed).integers(0, vocab, size=n)]


def decode_once(system, prompt, steps) -> float:
    system.reset()
    system.run(prompt)
    start = time.perf_counter()
    for t in steps:
        system.run([t])
    return len(steps) / (time.perf_counter() - start)


def prefill_once(system, prompt) -> float:
    system.reset()
    start = time.perf_counter()
    system.run(prompt)
    return len(prompt) / (time.perf_counter() - start)


def median_rate(fn, repeats: int, budget_s: float):
    """Median of up to `repeats` calls of fn() -> tok/s; stops early once budget_s is
    spent (the slow systems on the 700M shape take a minute a run), after at least one."""
    rates, start = [], time.perf_counter()
    for _ in range(repeats):
        rates.append(fn())
        if time.perf_counter() - start > budget_s:
            break
    return {"tok_s": statistics.median(rates), "runs": len(rates),
            "min": min(rates), "max": max(rates)}


def measure(system, vocab: int, prompt_n: int, decode_n: int, prefill_n: int,
            repeats: int, budget_s: float) -> dict:
    prompt = tokens(vocab, prompt_n, 1)
    steps = tokens(vocab, decode_n, 2)
    long_prompt = tokens(vocab, prefill_n, 3)
    decode_once(system, prompt, steps[:min(8, decode_n)])  # warm-up
    prefill_once(system, long_prompt)
    return {"decode": median_rate(lambda: decode_once(system, prompt, steps), repeats, budget_s),
            "prefill": median_rate(lambda: prefill_once(system, long_prompt), repeats, budget_s)}
