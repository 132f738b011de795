"""Export BitNet b1.58 to ONNX in three forms (TorchScript exporter, dynamo=False).

  training  - latent FP32 weights; absmean weight quantization + STE recomputed in the graph.
  inference - 2-bit packed uint8 weights (2B4T layout) + float weight_scale, unpacked in the graph.
  kvcache   - inference weights plus past/present key-value tensors (HF optimum naming).

Usage: PYTHONPATH=python python -m bitnet.export --config tiny --form inference -o out.onnx
"""
import argparse
import contextlib
import json
import os
import sys
import tempfile
import warnings

import onnx
import torch
from torch import nn

from .config import BitNetConfig, get_config
from .model import BitNetForCausalLM, build_model, set_unpack_mode, to_packed

FORMS = ("training", "inference", "kvcache")
DEFAULT_OPSET = 17
TORCH_MAX_OPSET = torch.onnx._constants.ONNX_TORCHSCRIPT_EXPORTER_MAX_OPSET  # 20 for torch 2.5
# Example sizes for tracing: all distinct and > 1 so the tracer cannot confuse or
# specialize the dynamic dims (dims of size 1 may be treated as broadcast constants).
TRACE_BATCH, TRACE_SEQ, TRACE_PAST = 2, 3, 4


class LogitsOnly(nn.Module):
    """input_ids -> logits (drops the presents of the non-cache forms)."""

    def __init__(self, lm: BitNetForCausalLM):
        super().__init__()
        self.lm = lm

    def forward(self, input_ids):
        return self.lm(input_ids)[0]


class KVCacheStep(nn.Module):
    """(input_ids, past k0, v0, k1, v1, ...) -> (logits, present k0, v0, ...).

    Positions are derived from the past length (past_key_values.0.key dim 2); there is
    no attention_mask, so all rows of a batch share the same past length (no padding).
    """

    def __init__(self, lm: BitNetForCausalLM):
        super().__init__()
        self.lm = lm

    def forward(self, input_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents = self.lm(input_ids, past)
        return (logits, *[t for kv in presents for t in kv])


WRAPPER_PREFIX = "lm."  # attribute name of the wrapped model in LogitsOnly / KVCacheStep


def strip_prefix(graph: onnx.GraphProto, prefix: str):
    """Rename initializers 'lm.model.layers...' -> 'model.layers...' (the HF checkpoint names)."""
    renames = {t.name: t.name[len(prefix):] for t in graph.initializer if t.name.startswith(prefix)}
    for t in graph.initializer:
        t.name = renames.get(t.name, t.name)
    for n in graph.node:
        n.input[:] = [renames.get(i, i) for i in n.input]
    for v in graph.input:
        v.name = renames.get(v.name, v.name)


def io_spec(cfg: BitNetConfig, form: str):
    """(input_names, output_names, dynamic_axes) for a form."""
    ids_axes = {0: "batch_size", 1: "sequence_length"}
    if form != "kvcache":
        return ["input_ids"], ["logits"], {"input_ids": ids_axes, "logits": ids_axes}
    ins, outs, axes = ["input_ids"], ["logits"], {"input_ids": ids_axes, "logits": ids_axes}
    for i in range(cfg.num_layers):
        for kind in ("key", "value"):
            p, q = f"past_key_values.{i}.{kind}", f"present.{i}.{kind}"
            ins.append(p)
            outs.append(q)
            axes[p] = {0: "batch_size", 2: "past_sequence_length"}
            axes[q] = {0: "batch_size", 2: "total_sequence_length"}
    return ins, outs, axes


def example_inputs(cfg: BitNetConfig, form: str, batch=TRACE_BATCH, seq=TRACE_SEQ, past=TRACE_PAST):
    g = torch.Generator().manual_seed(1234)
    ids = torch.randint(0, cfg.vocab_size, (batch, seq), generator=g)
    if form != "kvcache":
        return (ids,)
    shape = (batch, cfg.num_kv_heads, past, cfg.head_dim)
    return (ids, *[torch.randn(shape, generator=g) for _ in range(2 * cfg.num_layers)])


def form_module(model: BitNetForCausalLM, form: str, opset: int) -> nn.Module:
    """Wrap a training-form model as the module to trace for `form`."""
    if form == "training":
        return LogitsOnly(model).eval()
    packed = to_packed(model)
    # ONNX BitwiseAnd exists from opset 18; older opsets get Mod (also integer arithmetic).
    set_unpack_mode(packed, use_bitwise_and=opset >= 18)
    return (LogitsOnly(packed) if form == "inference" else KVCacheStep(packed)).eval()


def export_model(model: BitNetForCausalLM, form: str, path: str, opset: int = DEFAULT_OPSET,
                 constant_folding: bool = True, external_data: bool = False,
                 metadata: dict = None) -> onnx.ModelProto:
    """Export `model` (training form, latent weights) as `form` to `path`; returns the ModelProto."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}")
    if not 13 <= opset <= 21:
        raise ValueError("supported opsets: 13..21")
    cfg = model.config
    trace_opset = min(opset, TORCH_MAX_OPSET)
    module = form_module(model, form, opset)
    inputs, outputs, axes = io_spec(cfg, form)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = os.path.join(tmp, "model.onnx")
        with torch.no_grad(), warnings.catch_warnings(), \
                _without_whole_graph_inference(_param_bytes(module) > onnx.checker.MAXIMUM_PROTOBUF // 2):
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            torch.onnx.export(module, example_inputs(cfg, form), tmp_path, dynamo=False,
                              input_names=inputs, output_names=outputs, dynamic_axes=axes,
                              opset_version=trace_opset, do_constant_folding=constant_folding)
        proto = onnx.load(tmp_path)  # also pulls in external data torch writes for >2 GB
    strip_prefix(proto.graph, WRAPPER_PREFIX)
    if opset > trace_opset:
        # The TorchScript exporter stops at opset 20; the onnx version converter's
        # 20 -> 21 adapters only widen type constraints, so the graph is unchanged.
        from onnx import version_converter
        proto = version_converter.convert_version(proto, opset)
        proto.ir_version = max(proto.ir_version,
                               onnx.helper.find_min_ir_version_for(proto.opset_import))
    meta = {"bitnet.form": form, "bitnet.config": json.dumps(cfg.to_dict()),
            "bitnet.constant_folding": str(constant_folding),
            "bitnet.weight_scale": "dequant multiplier: W = (field - 1) * weight_scale"}
    meta.update(metadata or {})
    onnx.helper.set_model_props(proto, meta)
    save(proto, path, external_data)
    return proto


def _param_bytes(module: nn.Module) -> int:
    return sum(t.numel() * t.element_size()
               for t in list(module.parameters()) + list(module.buffers()))


@contextlib.contextmanager
def _without_whole_graph_inference(active: bool):
    """torch 2.5's whole-graph ONNX shape inference serializes the model and fails past
    2 GB; with weights near that size, skip it (per-node inference still types the graph)."""
    original = torch._C._jit_pass_onnx_graph_shape_type_inference
    if active:
        torch._C._jit_pass_onnx_graph_shape_type_inference = lambda *args, **kwargs: None
    try:
        yield
    finally:
        torch._C._jit_pass_onnx_graph_shape_type_inference = original


def save(proto: onnx.ModelProto, path: str, external_data: bool):
    if not external_data:
        if proto.ByteSize() > onnx.checker.MAXIMUM_PROTOBUF:
            raise ValueError("model exceeds 2 GB; use --external-data")
        onnx.save(proto, path)
        return
    location = os.path.basename(path) + ".data"  # relative, beside the model
    data_path = os.path.join(os.path.dirname(os.path.abspath(path)), location)
    if os.path.exists(data_path):
        os.remove(data_path)  # onnx appends to an existing data file
    onnx.save(proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
              location=location, size_threshold=1024)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bitnet.export", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="tiny", help="named config (bitnet.config.CONFIGS)")
    ap.add_argument("--form", choices=FORMS, required=True)
    ap.add_argument("--opset", type=int, default=DEFAULT_OPSET, help="13..21 (21 via onnx version converter)")
    ap.add_argument("--seed", type=int, default=0, help="weight init seed")
    ap.add_argument("--no-constant-folding", action="store_true")
    ap.add_argument("--external-data", action="store_true",
                    help="store tensors in <output>.data beside the model")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args(argv)
    cfg = get_config(a.config)
    model = build_model(cfg, a.seed)
    proto = export_model(model, a.form, a.output, opset=a.opset,
                         constant_folding=not a.no_constant_folding,
                         external_data=a.external_data,
                         metadata={"bitnet.config_name": a.config, "bitnet.seed": str(a.seed)})
    print(f"wrote {a.output}: form={a.form} config={a.config} opset={a.opset} "
          f"nodes={len(proto.graph.node)} initializers={len(proto.graph.initializer)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
