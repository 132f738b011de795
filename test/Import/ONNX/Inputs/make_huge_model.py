"""Writes models that ask for more than the importer allows: 10^6 nodes,
tensors declaring 2^40 elements, ranks past the limit. The protobuf is
encoded by hand, so that a million nodes take a second to write and the
test needs no onnx package; committing such files would cost megabytes.

    make_huge_model.py CASE OUT_DIR     # writes OUT_DIR/model.onnx
"""

import struct
import sys


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 as two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number: int, payload) -> bytes:
    if isinstance(payload, int):
        return varint(number << 3) + varint(payload)
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(number << 3 | 2) + varint(len(payload)) + payload


FLOAT = 1


def tensor_type(dims, elem_type=FLOAT) -> bytes:
    shape = b"".join(field(1, field(1, d)) for d in dims)  # Dimension.dim_value
    return field(1, field(1, elem_type) + field(2, shape))  # TypeProto.tensor_type


def value_info(name: str, dims) -> bytes:
    return field(1, name) + field(2, tensor_type(dims))


def tensor(name: str, dims, raw: bytes, elem_type=FLOAT) -> bytes:
    return (b"".join(field(1, d) for d in dims) + field(2, elem_type) +
            field(8, name) + field(9, raw))


def node(op_type: str, inputs, outputs, name: str, attributes=b"") -> bytes:
    return (b"".join(field(1, i) for i in inputs) + b"".join(field(2, o) for o in outputs) +
            field(3, name) + field(4, op_type) + attributes)


def model(graph: bytes) -> bytes:
    opset = field(1, "") + field(2, 17)
    return field(1, 8) + field(8, opset) + field(7, graph)


def identity_chain(count: int) -> bytes:
    nodes = [field(1, node("Identity", ["x" if i == 0 else f"v{i}"],
                           ["y" if i == count - 1 else f"v{i + 1}"], f"n{i}"))
             for i in range(count)]
    return model(b"".join(nodes) + field(2, "chain") +
                 field(11, value_info("x", [4])) + field(12, value_info("y", [4])))


def main() -> None:
    case, out_dir = sys.argv[1], sys.argv[2]
    two40 = 1 << 40
    small = field(11, value_info("x", [4])) + field(12, value_info("y", [4]))
    add = field(1, node("Add", ["x", "w"], ["y"], "add"))
    if case == "million-nodes":
        data = identity_chain(1000000)
    elif case == "huge-initializer":
        # 2^40 floats declared, 16 bytes present.
        init = field(5, tensor("w", [1 << 20, 1 << 20], b"\0" * 16))
        data = model(add + field(2, "g") + init + small)
    elif case == "huge-input":
        graph = (field(1, node("Identity", ["x"], ["y"], "id")) + field(2, "g") +
                 field(11, value_info("x", [1024, 1024, 1024, 1024])) +
                 field(12, value_info("y", [4])))
        data = model(graph)
    elif case == "huge-value-info":
        graph = (field(1, node("Relu", ["x"], ["t"], "relu")) +
                 field(1, node("Identity", ["t"], ["y"], "id")) + field(2, "g") + small +
                 field(13, value_info("t", [two40])))
        data = model(graph)
    elif case == "huge-constant":
        value = tensor("c", [two40], struct.pack("<f", 1.0))
        attr = field(1, "value") + field(5, value) + field(20, 4)  # t, type TENSOR
        graph = (field(1, node("Constant", [], ["w"], "const", field(5, attr))) + add +
                 field(2, "g") + small)
        data = model(graph)
    elif case == "bigger-than-file":
        # A million floats declared, the file holds a few hundred bytes.
        init = field(5, tensor("w", [1000000], b"\0" * 4))
        data = model(add + field(2, "g") + init + small)
    elif case == "rank-40":
        graph = (field(1, node("Identity", ["x"], ["y"], "id")) + field(2, "g") +
                 field(11, value_info("x", [1] * 40)) + field(12, value_info("y", [4])))
        data = model(graph)
    else:
        sys.exit(f"unknown case {case}")
    import os
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "model.onnx"), "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
