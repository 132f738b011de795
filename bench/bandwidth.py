"""DRAM read bandwidth, measured in the bench's own run (the roofline's denominator).

A streaming max over a buffer many times the last-level cache: numpy's float32 max
reduction is SIMD (unlike its pairwise add, which is compute-bound near 1 GB/s here) and
releases the GIL, so T Python threads each summing a slice
read memory on T cores. The best of several passes is kept, as STREAM does: the roofline
is what the memory can deliver, and noise on a shared machine only ever lowers it.
"""
import threading
import time

import numpy as np


def read_bandwidth(threads: int, size_mib: int = 1024, passes: int = 5) -> float:
    """Bytes per second read by `threads` threads from a `size_mib` MiB buffer."""
    buf = np.ones(size_mib * 2**20 // 4, dtype=np.float32)
    parts = np.array_split(buf, threads)
    best = 0.0
    for _ in range(passes):
        workers = [threading.Thread(target=np.maximum.reduce, args=(p,)) for p in parts]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        best = max(best, buf.nbytes / (time.perf_counter() - start))
    return best


if __name__ == "__main__":
    for t in (1, 2):
        print(f"{t} thread(s): {read_bandwidth(t) / 1e9:.1f} GB/s")
