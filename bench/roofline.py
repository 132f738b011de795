"""Bytes a decode step must read, per system's storage format, and the roofline they imply.

Decode is memory-bound: each generated token reads every weight once, plus the KV cache
of all previous positions. roofline tok/s = bandwidth / bytes per token; a system's share
of it is its measured decode tok/s divided by that. Small models fit the last-level cache
(260 MiB here), so their share can exceed 100%: the DRAM roofline is the bound for models
that do not fit (the 700M shape).
"""

# Bytes per weight of each ternary storage format (scales included).
TERNARY_BYTES = {
    "base4 packed": 0.25,      # bitnet-mlir: 4 trits per byte, one f32 scale per matrix
    "base3 packed": 0.2,       # bitnet-mlir --ternary-packing=base3: 5 trits per byte
    "TQ2_0": 66 / 256,         # 256 trits in 64 bytes + an f16 block scale
    "TQ1_0": 54 / 256,         # 5 trits per byte (48 + 4 bytes) + an f16 block scale
    "fp32": 4.0,               # onnxruntime / IREE: unpacked to float at load
}


def bytes_per_token(counts: dict, ternary_format: str, head_bytes_per_weight: float,
                    kv_bytes_per_element: float, mean_context: float,
                    ternary_bytes: float = None) -> float:
    """Weights (ternary layers, head, norms) plus the KV cache read for one decoded token.
    `ternary_bytes` overrides the format's nominal size (GGUFs with F16 fallbacks)."""
    if ternary_bytes is None:
        ternary_bytes = counts["ternary_params"] * TERNARY_BYTES[ternary_format]
    weights = ternary_bytes + counts["head_params"] * head_bytes_per_weight + 4 * counts["norm_params"]
    kv = counts["kv_per_token"] * mean_context * kv_bytes_per_element
    return weights + kv


def roofline(bandwidth: float, nbytes: float) -> float:
    return bandwidth / nbytes
