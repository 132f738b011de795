"""2-bit packing of ternary weights in the layout of the released BitNet b1.58 2B4T checkpoint.

Layout (HF transformers integrations/bitnet.py pack_weights/unpack_weights):
  unpacked W: [out, in] with values in {-1, 0, 1}, stored as W + 1 in {0, 1, 2};
  packed P:   uint8 [R, in], R = ceil(out / 4);
  bits 2i..2i+1 of P[r, c] hold W[r + i*R, c]  (i = 0..3).
When out is not a multiple of 4, rows out..4R-1 are padding (their bit fields are 0,
exactly as HF pack_weights leaves them) and are sliced away after unpacking.
"""
import numpy as np
import torch

VALUES_PER_BYTE = 4


def packed_rows(out_features: int) -> int:
    return -(-out_features // VALUES_PER_BYTE)


def pack_ternary_np(trits: np.ndarray) -> np.ndarray:
    """trits int [out, in] in {-1,0,1} -> uint8 [ceil(out/4), in]."""
    trits = np.asarray(trits)
    if trits.ndim != 2 or not np.isin(trits, (-1, 0, 1)).all():
        raise ValueError("expected a 2-D array of values in {-1, 0, 1}")
    out, cols = trits.shape
    rows = packed_rows(out)
    fields = np.zeros((rows * VALUES_PER_BYTE, cols), dtype=np.uint8)
    fields[:out] = (trits + 1).astype(np.uint8)
    packed = np.zeros((rows, cols), dtype=np.uint8)
    for i in range(VALUES_PER_BYTE):
        packed |= fields[i * rows:(i + 1) * rows] << np.uint8(2 * i)
    return packed


def unpack_ternary_np(packed: np.ndarray, out_features: int) -> np.ndarray:
    """uint8 [R, in] -> int8 [out_features, in] in {-1,0,1}."""
    packed = np.asarray(packed, dtype=np.uint8)
    fields = [(packed >> np.uint8(2 * i)) & np.uint8(3) for i in range(VALUES_PER_BYTE)]
    return np.concatenate(fields, axis=0)[:out_features].astype(np.int8) - 1


def pack_ternary_torch(trits: torch.Tensor) -> torch.Tensor:
    return torch.from_numpy(pack_ternary_np(trits.detach().cpu().numpy().astype(np.int8)))


def unpack_ternary_torch(packed: torch.Tensor, out_features: int,
                         use_bitwise_and: bool = True) -> torch.Tensor:
    """Graph-friendly unpack used inside the exported inference graph; returns float32 trits.

    Traces to BitShift(RIGHT) on uint8, then BitwiseAnd 3 (ONNX opset >= 18) or
    Mod 4 (older opsets, which have no BitwiseAnd), Concat on axis 0, optional Slice,
    Cast to float and Sub 1. All four fields use the same pattern, shift 0 and the
    redundant mask of the top field included, to keep the graph regular for importers.
    """
    mask = torch.tensor(3, dtype=torch.uint8)
    four = torch.tensor(4, dtype=torch.uint8)
    fields = []
    for i in range(VALUES_PER_BYTE):
        f = packed >> (2 * i)
        f = torch.bitwise_and(f, mask) if use_bitwise_and else torch.remainder(f, four)
        fields.append(f)
    u = torch.cat(fields, dim=0)
    if u.shape[0] != out_features:
        u = u[:out_features]
    return u.to(torch.float32) - 1.0
