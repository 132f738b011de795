"""Makes the broken ONNX files the importer must reject cleanly.

    make_bad_model.py CASE DIR   writes DIR/model.onnx (and any side files)

Each case breaks one thing in an otherwise valid model: y = MatMul(x, w).
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def good_model(w_tensor=None, nodes=None, opset=17, outputs=None):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])
    if w_tensor is None:
        w_tensor = numpy_helper.from_array(np.ones((4, 3), np.float32), "w")
    if nodes is None:
        nodes = [helper.make_node("MatMul", ["x", "w"], ["y"], name="proj")]
    graph = helper.make_graph(nodes, "g", [x], outputs or [y], [w_tensor])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def external_model(location, offset=None, length=None):
    w = numpy_helper.from_array(np.ones((4, 3), np.float32), "w")
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    entries = {"location": location}
    if offset is not None:
        entries["offset"] = str(offset)
    if length is not None:
        entries["length"] = str(length)
    for key, value in entries.items():
        entry = w.external_data.add()
        entry.key, entry.value = key, value
    return good_model(w)


def write_side_file(path, size=48):
    with open(path, "wb") as f:
        f.write(np.ones(size // 4, np.float32).tobytes())


def make(case, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "model.onnx")
    model = None
    if case == "empty":
        open(path, "wb").close()
    elif case == "garbage":
        with open(path, "wb") as f:
            f.write(b"\x08\x07\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x0f")
    elif case == "truncated":
        data = good_model().SerializeToString()
        with open(path, "wb") as f:
            f.write(data[: len(data) * 2 // 3])
    elif case == "no-graph":
        model = onnx.ModelProto(ir_version=8)
        model.opset_import.add(domain="", version=17)
    elif case == "unknown-ops":
        model = good_model(nodes=[
            helper.make_node("FancyOp", ["x"], ["t0"], name="fancy_1"),
            helper.make_node("FancyOp", ["t0"], ["t1"], name="fancy_2"),
            helper.make_node("Custom", ["t1", "w"], ["y"], name="custom", domain="com.example"),
        ])
    elif case == "dangling":
        model = good_model(nodes=[helper.make_node("MatMul", ["x", "v"], ["y"], name="proj")])
    elif case == "cycle":
        model = good_model(nodes=[
            helper.make_node("Add", ["x", "b"], ["a"], name="first"),
            helper.make_node("Relu", ["a"], ["b"], name="second"),
            helper.make_node("MatMul", ["a", "w"], ["y"], name="proj"),
        ])
    elif case == "duplicate-output":
        model = good_model(nodes=[
            helper.make_node("Relu", ["x"], ["t"], name="one"),
            helper.make_node("Abs", ["x"], ["t"], name="two"),
            helper.make_node("MatMul", ["t", "w"], ["y"], name="proj"),
        ])
    elif case == "missing-output":
        z = helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 3])
        model = good_model(outputs=[z])
    elif case == "raw-data-size":
        w = numpy_helper.from_array(np.ones((4, 3), np.float32), "w")
        w.raw_data = w.raw_data[:40]
        model = good_model(w)
    elif case == "typed-data-size":
        w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[4, 3])
        w.float_data.extend([1.0] * 11)
        model = good_model(w)
    elif case == "negative-dim":
        w = numpy_helper.from_array(np.ones((4, 3), np.float32), "w")
        w.dims[0] = -4
        model = good_model(w)
    elif case == "overflow-dims":
        w = numpy_helper.from_array(np.ones((4, 3), np.float32), "w")
        del w.dims[:]
        w.dims.extend([1 << 40, 1 << 40])
        model = good_model(w)
    elif case == "opset-12":
        model = good_model(opset=12)
    elif case == "opset-22":
        model = good_model(opset=22)
    elif case == "ext-absolute":
        model = external_model("/etc/passwd")
    elif case == "ext-dotdot":
        model = external_model("../secret.bin")
    elif case == "ext-symlink":
        outside = os.path.join(os.path.dirname(os.path.abspath(out_dir)), "outside.bin")
        write_side_file(outside)
        link = os.path.join(out_dir, "weights.bin")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(outside, link)
        model = external_model("weights.bin")
    elif case == "ext-missing":
        model = external_model("nowhere.bin")
    elif case == "ext-offset":
        write_side_file(os.path.join(out_dir, "weights.bin"))
        model = external_model("weights.bin", offset=64)
    elif case == "ext-length":
        write_side_file(os.path.join(out_dir, "weights.bin"))
        model = external_model("weights.bin", offset=16, length=48)
    elif case == "ext-size":
        write_side_file(os.path.join(out_dir, "weights.bin"), size=64)
        model = external_model("weights.bin")
    elif case in ("float-axis", "float-axis-18"):
        node = helper.make_node("Concat", ["x", "x"], ["t"], name="cat")
        node.attribute.append(helper.make_attribute("axis", 0.5))
        t = helper.make_tensor_value_info("t", TensorProto.FLOAT, ["M", 4])
        model = good_model(nodes=[node, helper.make_node("MatMul", ["t", "w"], ["y"], name="proj")],
                           opset=18 if case.endswith("18") else 17)
        model.graph.value_info.append(t)
    elif case == "missing-attribute":
        model = good_model(nodes=[
            helper.make_node("Cast", ["x"], ["t"], name="cast"),
            helper.make_node("MatMul", ["t", "w"], ["y"], name="proj"),
        ])
    elif case == "wrong-field":
        # FLOAT values in the int64 field: not this tensor's values.
        w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[4, 3])
        w.int64_data.extend([1] * 12)
        model = good_model(w)
    elif case == "constant-kind-18":
        node = helper.make_node("Constant", [], ["c"], name="ints")
        node.attribute.append(helper.make_attribute("value_ints", 3))
        model = good_model(nodes=[node, helper.make_node("MatMul", ["x", "w"], ["y"], name="proj")],
                           opset=18)
    elif case == "axes-kind-18":
        node = helper.make_node("ReduceMean", ["x"], ["m"], name="mean")
        node.attribute.append(helper.make_attribute("axes", 1))
        m = helper.make_tensor_value_info("m", TensorProto.FLOAT, ["N", 1])
        model = good_model(nodes=[node, helper.make_node("MatMul", ["x", "w"], ["y"], name="proj")],
                           opset=18)
        model.graph.value_info.append(m)
    elif case == "large":
        # 2 MiB inline and 2 MiB external: both must become resource blobs.
        rng = np.random.default_rng(0)
        inline = numpy_helper.from_array(rng.standard_normal((512, 1024), np.float32), "embed.weight")
        side = rng.standard_normal((1024, 512), np.float32)
        side.tofile(os.path.join(out_dir, "proj.bin"))
        proj = numpy_helper.from_array(side, "proj.weight")
        proj.ClearField("raw_data")
        proj.data_location = TensorProto.EXTERNAL
        entry = proj.external_data.add()
        entry.key, entry.value = "location", "proj.bin"
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1024])
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1024])
        nodes = [helper.make_node("MatMul", ["x", "proj.weight"], ["h"], name="down"),
                 helper.make_node("MatMul", ["h", "embed.weight"], ["y"], name="up")]
        graph = helper.make_graph(nodes, "g", [x], [y], [inline, proj])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    elif case == "ext-ok":
        write_side_file(os.path.join(out_dir, "weights.bin"), size=64)
        model = external_model("weights.bin", offset=16, length=48)
    else:
        sys.exit(f"unknown case {case}")
    if model is not None:
        with open(path, "wb") as f:
            f.write(model.SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case")
    parser.add_argument("dir")
    args = parser.parse_args()
    make(args.case, args.dir)


if __name__ == "__main__":
    main()
