"""Give an exported graph more decoder layers than were traced.

Tracing a model of billions of parameters holds its latent float weights, the packed copy
and the ONNX proto at once: the 2B-4T shape took 20 GB. The graph of a decoder layer does
not depend on its weights, so the exporter traces two layers at the full width and this
module clones the second one until the graph has the configured count. Each clone gets
fresh packed ternary weights (the traced layer's bytes, shuffled: every byte stays four
valid 2-bit codes), its own KV-cache input and output, and reads the previous clone's
residual stream. Shared tensors (rotary tables, the mask, per-layer shape constants) are
read by every clone, as they are by every traced layer.

Used by `python -m bitnet.export --trace-layers 2`.
"""
import re

import numpy as np
import onnx
from onnx import numpy_helper

TRACED_LAYERS = 2
_LAYER = r"layers\.{}(?=[./])"


def _layer_of(name: str, index: int) -> bool:
    return re.search(_LAYER.format(index), name) is not None


def _renamer(i: int):
    """Tensor and node names of traced layer 1 as they are for layer i (layer 0, which
    layer 1 reads, as layer i - 1)."""
    def rename(name: str) -> str:
        if not name:
            return name
        name = re.sub(_LAYER.format(0), "layers.\0prev", name)
        name = re.sub(_LAYER.format(1), f"layers.{i}", name)
        name = name.replace("layers.\0prev", f"layers.{i - 1}")
        name = re.sub(r"^past_key_values\.1\.", f"past_key_values.{i}.", name)
        return re.sub(r"^present\.1\.", f"present.{i}.", name)
    return rename


def _sorted_io(values, prefix: str):
    """Graph inputs/outputs with the per-layer cache entries in layer order."""
    def key(v):
        m = re.match(prefix + r"\.(\d+)\.(key|value)$", v.name)
        return (1, int(m.group(1)), m.group(2)) if m else (0, 0, "")
    return sorted(values, key=key)


def replicate_layers(proto: onnx.ModelProto, num_layers: int, seed: int = 0,
                     progress=None) -> onnx.ModelProto:
    """`proto`, traced with TRACED_LAYERS layers, with `num_layers`."""
    graph = proto.graph
    if num_layers <= TRACED_LAYERS:
        return proto
    last = [n for n in graph.node if _layer_of(n.name, 1)]
    if not last or any(_layer_of(n.name, TRACED_LAYERS) for n in graph.node):
        raise ValueError(f"expected a graph traced with {TRACED_LAYERS} layers")
    last_ids = {id(n) for n in last}
    layer_inits = [t for t in graph.initializer if _layer_of(t.name, 1)]
    rng = np.random.default_rng(seed)

    clones, new_inits = [], []
    for i in range(TRACED_LAYERS, num_layers):
        rename = _renamer(i)
        for node in last:
            clone = onnx.NodeProto()
            clone.CopyFrom(node)
            clone.name = rename(node.name)
            clone.input[:] = [rename(x) for x in node.input]
            clone.output[:] = [rename(x) for x in node.output]
            clones.append(clone)
        for init in layer_inits:
            values = numpy_helper.to_array(init)
            if values.dtype == np.uint8:
                values = rng.permutation(values.reshape(-1)).reshape(values.shape)
            new_inits.append(numpy_helper.from_array(values, rename(init.name)))
        if progress:
            progress(i + 1, num_layers)

    # The clones go after the traced layer; what read its residual stream (the final
    # norm) reads the last clone's.
    final = _renamer(num_layers - 1)
    nodes = []
    for node in graph.node:
        if id(node) not in last_ids and not _layer_of(node.name, 0):
            node.input[:] = [final(x) if _layer_of(x, 1) else x for x in node.input]
        nodes.append(node)
        if node is last[-1]:
            nodes.extend(clones)
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(new_inits)

    for field, prefix in ((graph.input, "past_key_values"), (graph.output, "present")):
        template = {v.name: v for v in field if re.match(prefix + r"\.1\.", v.name)}
        added = []
        for i in range(TRACED_LAYERS, num_layers):
            for name, v in template.items():
                c = onnx.ValueInfoProto()
                c.CopyFrom(v)
                c.name = _renamer(i)(name)
                added.append(c)
        everything = _sorted_io(list(field) + added, prefix)
        copies = [onnx.ValueInfoProto() for _ in everything]
        for c, v in zip(copies, everything):
            c.CopyFrom(v)
        del field[:]
        field.extend(copies)
    # Shapes inferred for the traced graph name layer-1 tensors only.
    del graph.value_info[:]
    return proto
