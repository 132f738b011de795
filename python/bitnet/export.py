"""Export BitNet b1.58 to ONNX in three forms, with either of torch's ONNX exporters.

  training  - latent FP32 weights; absmean weight quantization + STE recomputed in the graph.
  inference - 2-bit packed uint8 weights (2B4T layout) + float weight_scale, unpacked in the graph.
  kvcache   - inference weights plus past/present key-value tensors (HF optimum naming).

Exporters: `torchscript` (torch.onnx.export(dynamo=False); torch 1.13 .. 2.15) and
`dynamo` (the torch.export-based exporter, torch >= 2.5 with onnxscript; the default of
torch.onnx.export since torch 2.9 and here the default when torch >= 2.9).

Usage: PYTHONPATH=python python -m bitnet.export --config tiny --form inference -o out.onnx
       [--exporter torchscript|dynamo] [--reference ref.npz]
"""
import argparse
import contextlib
import dataclasses
import json
import os
import re
import sys
import tempfile
import warnings

import numpy as np
import onnx
import torch
from torch import nn

from .config import BitNetConfig, get_config
from . import replicate
from .model import BitNetForCausalLM, build_model, set_unpack_mode, to_packed

FORMS = ("training", "inference", "kvcache")
DEFAULT_OPSET = 17
# Highest opset of the TorchScript exporter: 17 for torch 1.13, 20 for torch 2.5 .. 2.15.
TORCH_MAX_OPSET = getattr(torch.onnx._constants, "ONNX_TORCHSCRIPT_EXPORTER_MAX_OPSET",
                          getattr(torch.onnx._constants, "ONNX_MAX_OPSET", 17))
TORCH_VERSION = tuple(int(p) for p in re.findall(r"\d+", torch.__version__)[:2])
EXPORTERS = ("torchscript", "dynamo")
DYNAMO_MIN_OPSET = 18  # torch.onnx's dynamo exporter builds opset 18 and cannot go lower
# torch.onnx.export defaults to the dynamo exporter from torch 2.9 on; so do we.
DEFAULT_EXPORTER = "dynamo" if TORCH_VERSION >= (2, 9) else "torchscript"
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
    return io_spec_for_layers(cfg.num_layers, form)


def io_spec_for_layers(num_layers: int, form: str):
    """io_spec of any model with `num_layers` key/value pairs (also Hugging Face's)."""
    ids_axes = {0: "batch_size", 1: "sequence_length"}
    if form != "kvcache":
        return ["input_ids"], ["logits"], {"input_ids": ids_axes, "logits": ids_axes}
    ins, outs, axes = ["input_ids"], ["logits"], {"input_ids": ids_axes, "logits": ids_axes}
    for i in range(num_layers):
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


def dynamic_shapes_spec(cfg: BitNetConfig, form: str):
    """torch.export dynamic shapes for the dynamo exporter: the io_spec dims, as torch.export.Dim.

    The names become the ONNX dim_params (batch_size, sequence_length, past_sequence_length;
    the exporter names the presents' length `past_sequence_length + sequence_length`).
    """
    return dynamic_shapes_for_layers(cfg.num_layers, cfg.max_position, form)


def dynamic_shapes_for_layers(num_layers: int, max_position: int, form: str):
    """dynamic_shapes_spec of any model with `num_layers` key/value pairs."""
    from torch.export import Dim
    batch = Dim("batch_size")
    seq = Dim("sequence_length", max=max_position)
    ids = {0: batch, 1: seq}
    if form != "kvcache":
        return (ids,)
    past = Dim("past_sequence_length", max=max_position)
    # KVCacheStep.forward(input_ids, *past_flat): the varargs are one nested tuple.
    return (ids, tuple({0: batch, 2: past} for _ in range(2 * num_layers)))


def _rshift_translation(self, other):
    """aten right shift -> ONNX BitShift(RIGHT), keeping the (unsigned) element type.

    torch 2.15's own translation (onnxscript torchlib) implements `>>` as an arithmetic
    shift through int8 and leaves the result typed int8 even for uint8 inputs; with the
    exporter's constant folding that yields graphs onnxruntime rejects (BitwiseAnd of
    int8 and uint8). Our only shifts are of the packed uint8 weights (a logical shift).
    """
    from onnxscript import opset18 as op
    return op.BitShift(self, op.CastLike(other, self), direction="RIGHT")


def dynamo_translation_table():
    ops = torch.ops.aten
    return {ops.bitwise_right_shift.Tensor_Scalar: _rshift_translation,
            ops.bitwise_right_shift.Tensor: _rshift_translation,
            ops.__rshift__.Scalar: _rshift_translation,
            ops.__rshift__.Tensor: _rshift_translation}


def onnx_export(module: nn.Module, args: tuple, path: str, exporter: str, opset: int,
                input_names, output_names, dynamic_axes, dynamic_shapes,
                constant_folding: bool = True, fold_limit: int = None) -> onnx.ModelProto:
    """torch.onnx.export with either exporter; returns the loaded ModelProto (names as traced).

    dynamo: constant_folding=True runs the exporter's own optimizer (torch's default, which
    also folds weight subgraphs whose inputs have <= 8192 elements); with fold_limit=N the
    optimizer folds only nodes with inputs of <= N elements (e.g. 64: shape arithmetic only,
    the weight subgraphs stay as for large models); constant_folding=False: no optimizer.
    """
    if exporter not in EXPORTERS:
        raise ValueError(f"exporter must be one of {EXPORTERS}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = os.path.join(tmp, "model.onnx")
        if exporter == "torchscript":
            kwargs = {"dynamo": False} if TORCH_VERSION >= (2, 5) else {}
            with torch.no_grad(), warnings.catch_warnings(), \
                    _without_whole_graph_inference(_param_bytes(module) > onnx.checker.MAXIMUM_PROTOBUF // 2):
                warnings.simplefilter("ignore", torch.jit.TracerWarning)
                torch.onnx.export(module, args, tmp_path, input_names=input_names,
                                  output_names=output_names, dynamic_axes=dynamic_axes,
                                  opset_version=min(opset, TORCH_MAX_OPSET),
                                  do_constant_folding=constant_folding, **kwargs)
            return onnx.load(tmp_path)  # also pulls in external data torch writes for >2 GB
        if TORCH_VERSION < (2, 5):
            raise RuntimeError(f"the dynamo exporter needs torch >= 2.5 (this is {torch.__version__})")
        if opset < DYNAMO_MIN_OPSET:
            # torch would warn and write opset 18 anyway: its down-conversion (and the onnx
            # version converter's, e.g. ReduceMean's noop_with_empty_axes) fails.
            raise ValueError(f"the dynamo exporter writes opsets {DYNAMO_MIN_OPSET}..21, not {opset}; "
                             "use --exporter torchscript for older opsets")
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            program = torch.onnx.export(
                module, args, dynamo=True, input_names=input_names, output_names=output_names,
                dynamic_shapes=dynamic_shapes, opset_version=opset,
                optimize=constant_folding and fold_limit is None,
                custom_translation_table=dynamo_translation_table())
            if constant_folding and fold_limit is not None:
                import onnxscript.optimizer
                onnxscript.optimizer.optimize_ir(program.model, input_size_limit=fold_limit,
                                                 output_size_limit=fold_limit)
        program.save(tmp_path, external_data=_param_bytes(module) > onnx.checker.MAXIMUM_PROTOBUF // 2)
        return onnx.load(tmp_path)


# torch.onnx.export's default opset (20 in torch 2.15; its dynamo exporter builds the graph
# at opset 18 and converts it up).
TORCH_DEFAULT_OPSET = getattr(torch.onnx._constants, "ONNX_DEFAULT_OPSET", DEFAULT_OPSET)


def default_opset(exporter: str) -> int:
    """17 for the TorchScript exporter (as before); torch's own default for dynamo (20 in
    torch 2.15, at least 18)."""
    return max(DYNAMO_MIN_OPSET, TORCH_DEFAULT_OPSET) if exporter == "dynamo" else DEFAULT_OPSET


def export_model(model: BitNetForCausalLM, form: str, path: str, opset: int = None,
                 constant_folding: bool = True, external_data: bool = False,
                 metadata: dict = None, exporter: str = DEFAULT_EXPORTER,
                 fold_limit: int = None) -> onnx.ModelProto:
    """Export `model` (training form, latent weights) as `form` to `path`; returns the ModelProto."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}")
    opset = default_opset(exporter) if opset is None else opset
    if not 13 <= opset <= 21:
        raise ValueError("supported opsets: 13..21")
    cfg = model.config
    module = form_module(model, form, opset)
    inputs, outputs, axes = io_spec(cfg, form)
    shapes = dynamic_shapes_spec(cfg, form) if exporter == "dynamo" else None
    proto = onnx_export(module, example_inputs(cfg, form), path, exporter, opset, inputs, outputs,
                        axes, shapes, constant_folding=constant_folding, fold_limit=fold_limit)
    strip_prefix(proto.graph, WRAPPER_PREFIX)
    proto = convert_opset(proto, opset)
    meta = {"bitnet.form": form, "bitnet.config": json.dumps(cfg.to_dict()),
            "bitnet.constant_folding": str(constant_folding),
            "bitnet.weight_scale": "dequant multiplier: W = (field - 1) * weight_scale",
            "bitnet.exporter": f"{exporter} (torch {torch.__version__})"}
    meta.update(metadata or {})
    set_metadata(proto, meta)
    save(proto, path, external_data)
    return proto


def convert_opset(proto: onnx.ModelProto, opset: int) -> onnx.ModelProto:
    """Raise the default-domain opset to `opset` if the exporter stopped below it."""
    current = max([o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")] or [opset])
    if opset > current:
        # The TorchScript exporter stops at opset 20 (17 for torch 1.13); the onnx version
        # converter's adapters up to 21 only widen type constraints, so the graph is unchanged.
        from onnx import version_converter
        proto = version_converter.convert_version(proto, opset)
        proto.ir_version = max(proto.ir_version,
                               onnx.helper.find_min_ir_version_for(proto.opset_import))
    return proto


def set_metadata(proto: onnx.ModelProto, meta: dict):
    """Add/replace metadata_props entries, keeping those the exporter wrote."""
    props = {p.key: p.value for p in proto.metadata_props}
    props.update(meta)
    onnx.helper.set_model_props(proto, props)


REFERENCE_LENGTHS = (11, 1, 6, 24)  # prompt lengths of the reference logits (seeded tokens)


def reference_prompts(vocab_size: int, max_position: int, seed: int = 2024):
    """Deterministic token prompts for reference logits (lengths REFERENCE_LENGTHS, capped)."""
    rng = np.random.default_rng(seed)
    return [[int(t) for t in rng.integers(0, vocab_size, size=min(n, max_position))]
            for n in REFERENCE_LENGTHS]


@torch.no_grad()
def reference_logits(module: nn.Module, prompts, kv_layout=None, past_dtype=torch.float32) -> list:
    """PyTorch logits [len, vocab] of `module` (a LogitsOnly/KVCacheStep-style module) per prompt.

    kv_layout: None for input_ids -> logits modules; (num_pasts, kv_heads, head_dim) for
    KV-cache modules, which get empty pasts (past length 0)."""
    out = []
    for tokens in prompts:
        ids = torch.tensor([tokens], dtype=torch.int64)
        if kv_layout is None:
            logits = module(ids)
        else:
            n, heads, dim = kv_layout
            logits = module(ids, *[torch.zeros(1, heads, 0, dim, dtype=past_dtype)
                                  for _ in range(n)])
        logits = logits[0] if isinstance(logits, (tuple, list)) else logits
        out.append(logits[0].float().numpy())
    return out


def save_reference(path: str, prompts, logits, **extra):
    """npz with n, tokens_i (int64 [len]) and logits_i (float32 [len, vocab]) for i < n."""
    arrays = {"n": np.array(len(prompts))}
    for i, (tokens, rows) in enumerate(zip(prompts, logits)):
        arrays[f"tokens_{i}"] = np.asarray(tokens, dtype=np.int64)
        arrays[f"logits_{i}"] = np.asarray(rows, dtype=np.float32)
    for k, v in extra.items():
        arrays[k] = np.asarray(v)
    np.savez(path, **arrays)


def load_reference(path: str):
    """-> list of (tokens list, logits [len, vocab]) written by save_reference."""
    with np.load(path) as z:
        return [([int(t) for t in z[f"tokens_{i}"]], z[f"logits_{i}"]) for i in range(int(z["n"]))]


def write_reference(model: BitNetForCausalLM, form: str, path: str, opset: int = DEFAULT_OPSET):
    # opset only selects the unpacking ops (BitwiseAnd or Mod); the values are the same.
    """PyTorch reference logits of `form` (the module that is exported) on reference_prompts."""
    cfg = model.config
    module = form_module(model, form, opset)
    prompts = reference_prompts(cfg.vocab_size, cfg.max_position)
    layout = (2 * cfg.num_layers, cfg.num_kv_heads, cfg.head_dim) if form == "kvcache" else None
    save_reference(path, prompts, reference_logits(module, prompts, layout),
                   torch_version=torch.__version__)


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
    ap.add_argument("--opset", type=int, default=None,
                    help=f"13..21 (torchscript; above {TORCH_MAX_OPSET} via the onnx version converter; "
                         f"default {DEFAULT_OPSET}) or 18..21 (dynamo; default torch's, "
                         f"{default_opset('dynamo')})")
    ap.add_argument("--seed", type=int, default=0, help="weight init seed")
    ap.add_argument("--no-constant-folding", action="store_true")
    ap.add_argument("--external-data", action="store_true",
                    help="store tensors in <output>.data beside the model")
    ap.add_argument("--exporter", choices=EXPORTERS, default=DEFAULT_EXPORTER,
                    help=f"torch.onnx.export(dynamo=False|True); default here {DEFAULT_EXPORTER}")
    ap.add_argument("--fold-limit", type=int, default=None,
                    help="dynamo: fold only nodes whose inputs have <= N elements (64 keeps the "
                         "weight subgraphs of small models, as large ones keep them)")
    ap.add_argument("--reference", metavar="NPZ",
                    help="also write PyTorch reference logits (tokens_i, logits_i) to NPZ")
    ap.add_argument("--trace-layers", type=int, choices=(replicate.TRACED_LAYERS,),
                    default=None,
                    help="trace this many layers at full width and clone the last up to the "
                         "config's count, with fresh random weights (bitnet/replicate.py): the "
                         "export of multi-billion-parameter shapes in a few GB")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args(argv)
    a.opset = default_opset(a.exporter) if a.opset is None else a.opset
    cfg = get_config(a.config)
    cloning = a.trace_layers is not None and cfg.num_layers > a.trace_layers
    if cloning and a.reference:
        ap.error("--reference needs the whole model: not with --trace-layers")
    model = build_model(dataclasses.replace(cfg, num_layers=a.trace_layers) if cloning else cfg,
                        a.seed)
    metadata = {"bitnet.config_name": a.config, "bitnet.seed": str(a.seed)}
    # A traced graph goes to a file of its own first: saving with external data turns the
    # proto's tensors into references to that file.
    traced = a.output + ".traced.onnx" if cloning else a.output
    proto = export_model(model, a.form, traced, opset=a.opset,
                         constant_folding=not a.no_constant_folding,
                         external_data=a.external_data or cloning, metadata=metadata,
                         exporter=a.exporter, fold_limit=a.fold_limit)
    if cloning:
        del model
        proto = onnx.load(traced)
        for leftover in (traced, traced + ".data"):
            if os.path.exists(leftover):
                os.remove(leftover)
        proto = replicate.replicate_layers(
            proto, cfg.num_layers, a.seed,
            progress=lambda i, n: print(f"  layers: {i} of {n}", file=sys.stderr, flush=True))
        set_metadata(proto, {"bitnet.traced_layers": str(a.trace_layers)})
        save(proto, a.output, a.external_data)
    if a.reference:
        write_reference(model, a.form, a.reference, opset=a.opset)
    print(f"wrote {a.output}: form={a.form} config={a.config} opset={a.opset} exporter={a.exporter} "
          f"nodes={len(proto.graph.node)} initializers={len(proto.graph.initializer)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
