"""Write a copy of an ONNX model whose embedding (and tied head) hold what
--float-weights=STORAGE stores of them, widened back to float32.

A library compiled with that storage from the original must then give the
logits a float32 library gives from the copy: the narrow tables are the
only difference, in the embedding lookup and the head alike.

usage: round_tables.py IN.onnx OUT.onnx f16|bf16|i8
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def stored(w: np.ndarray, storage: str) -> np.ndarray:
    w = w.astype(np.float32)
    if storage == "f16":
        return w.astype(np.float16).astype(np.float32)
    if storage == "bf16":
        bits = w.view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
        return (rounded.astype(np.uint32) << 16).view(np.float32)
    if storage == "i8":
        # Rows as the compiler stores them: s = max|row| / 127, q = lround(w / s).
        s = np.abs(w).max(axis=1, keepdims=True) / np.float32(127)
        s = np.where(s > 0, s, np.float32(1)).astype(np.float32)
        r = w / s
        q = np.where(r >= 0, np.floor(r + 0.5), np.ceil(r - 0.5))
        return (q.astype(np.float32) * s).astype(np.float32)
    raise SystemExit(f"unknown storage {storage!r}")


def main():
    src, dst, storage = sys.argv[1:4]
    model = onnx.load(src)
    tables = [i for i in model.graph.initializer
              if i.data_type == onnx.TensorProto.FLOAT and len(i.dims) == 2]
    # The embedding is the largest table; a tied head is it, transposed
    # (exporters fold the Transpose into an initializer of its own).
    embedding = max(tables, key=lambda i: i.dims[0] * i.dims[1])
    e = numpy_helper.to_array(embedding)
    for init in tables:
        w = numpy_helper.to_array(init)
        if init is embedding:
            init.CopyFrom(numpy_helper.from_array(stored(e, storage), init.name))
        elif w.shape == e.T.shape and np.array_equal(w, e.T):
            init.CopyFrom(numpy_helper.from_array(stored(e, storage).T.copy(), init.name))
    onnx.save(model, dst)


if __name__ == "__main__":
    main()
