"""Export a Hugging Face BitNet checkpoint directory to the ONNX files bitnet-opt compiles.

  python -m bitnet.hf_export CHECKPOINT_DIR -o OUT_DIR [--form logits|kvcache|both]
      [--exporter dynamo|torchscript] [--opset N] [--dtype float32|bfloat16] [--reference]

CHECKPOINT_DIR: config.json + *.safetensors + tokenizer files, e.g. a download of
microsoft/bitnet-b1.58-2B-4T (quantization_config.quant_method "bitnet": transformers'
BitLinear with packed uint8 weights) or a checkpoint of `python -m bitnet.hf build`.

Writes OUT_DIR/model-logits.onnx (input_ids -> logits) and/or OUT_DIR/model-kvcache.onnx
(input_ids, past_key_values.N.key/value -> logits, present.N.key/value), batch, sequence
and past lengths dynamic; positions and the causal mask derive from the past length (no
attention_mask / position_ids inputs). The tokenizer files are copied into OUT_DIR and
named in the metadata (bitnet.tokenizer). With --reference, OUT_DIR/<name>.ref.npz holds
PyTorch's logits on fixed token prompts (bitnet.export.save_reference format).
Models over 2 GB are written with external data (<name>.onnx.data).
"""
import argparse
import json
import os
import sys

import torch

from . import export as bx
from . import hf

FORMS = ("logits", "kvcache")


def io_spec(cfg, form):
    n, _heads, _dim = hf.kv_layout(cfg)
    return bx.io_spec_for_layers(n // 2, form)


def dynamic_shapes(cfg, form):
    n, _, _ = hf.kv_layout(cfg)
    return bx.dynamic_shapes_for_layers(n // 2, cfg.max_position_embeddings, form)


def example_inputs(cfg, form, dtype, batch=bx.TRACE_BATCH, seq=bx.TRACE_SEQ, past=bx.TRACE_PAST):
    g = torch.Generator().manual_seed(1234)
    ids = torch.randint(0, cfg.vocab_size, (batch, seq), generator=g)
    if form != "kvcache":
        return (ids,)
    n, heads, dim = hf.kv_layout(cfg)
    return (ids, *[torch.randn((batch, heads, past, dim), generator=g).to(dtype) for _ in range(n)])


def wrap(model, form):
    return (hf.HFLogits(model) if form == "logits" else hf.HFKVCacheStep(model)).eval()


def reference(model, form, path):
    cfg = model.config
    prompts = bx.reference_prompts(cfg.vocab_size, cfg.max_position_embeddings)
    layout = hf.kv_layout(cfg) if form == "kvcache" else None
    # transformers' BitLinear wraps its helpers in torch.compile; eager is the same math.
    import torch._dynamo
    with torch._dynamo.config.patch(disable=True):
        rows = bx.reference_logits(wrap(model, form), prompts, layout, past_dtype=model.dtype)
    bx.save_reference(path, prompts, rows, torch_version=torch.__version__)


def export_checkpoint(checkpoint: str, out_dir: str, forms=FORMS, opset: int = None,
                      exporter: str = None, dtype: str = "float32", fold_limit: int = None,
                      write_reference: bool = False, attn_implementation: str = "sdpa"):
    """Export the forms of one checkpoint; returns {form: onnx path}."""
    exporter = exporter or bx.DEFAULT_EXPORTER
    opset = bx.default_opset(exporter) if opset is None else opset
    torch_dtype = getattr(torch, dtype)
    model = hf.load_checkpoint(checkpoint, dtype=torch_dtype, attn_implementation=attn_implementation)
    cfg = model.config
    os.makedirs(out_dir, exist_ok=True)
    tokenizer_files = hf.copy_tokenizer(checkpoint, out_dir)
    quant = cfg.quantization_config
    quant = quant.to_dict() if hasattr(quant, "to_dict") else dict(quant or {})
    written = {}
    for form in forms:
        path = os.path.join(out_dir, f"model-{form}.onnx")
        ins, outs, axes = io_spec(cfg, form)
        module = wrap(model, form)
        big = bx._param_bytes(module) > bx.onnx.checker.MAXIMUM_PROTOBUF // 2
        proto = bx.onnx_export(module, example_inputs(cfg, form, torch_dtype), path, exporter,
                               opset, ins, outs, axes,
                               dynamic_shapes(cfg, form) if exporter == "dynamo" else None,
                               fold_limit=fold_limit)
        bx.strip_prefix(proto.graph, bx.WRAPPER_PREFIX)
        proto = bx.convert_opset(proto, opset)
        meta = {"bitnet.form": "kvcache" if form == "kvcache" else "inference",
                "bitnet.source": "transformers BitNetForCausalLM",
                "bitnet.config": hf.bitnet_config_json(cfg),
                "bitnet.hf_config": cfg.to_json_string(use_diff=False),
                "bitnet.hf_quantization": json.dumps(quant),
                "bitnet.exporter": f"{exporter} (torch {torch.__version__})",
                "bitnet.dtype": dtype}
        if quant.get("linear_class", "bitlinear") == "bitlinear":
            meta["bitnet.weight_scale"] = ("HF BitLinear: y = (x_q @ W_trits^T) / (s_x * weight_scale), "
                                           "weight_scale = 1/mean|W|")
        if "tokenizer.json" in tokenizer_files:
            meta["bitnet.tokenizer"] = "tokenizer.json"
        bx.set_metadata(proto, meta)
        bx.save(proto, path, big)
        if write_reference:
            reference(model, form, path[:-len(".onnx")] + ".ref.npz")
        written[form] = path
        print(f"wrote {path}: nodes={len(proto.graph.node)} initializers="
              f"{len(proto.graph.initializer)} functions={len(proto.functions)}", file=sys.stderr)
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bitnet.hf_export", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint")
    ap.add_argument("-o", "--output-dir", required=True)
    ap.add_argument("--form", choices=FORMS + ("both",), default="both")
    ap.add_argument("--opset", type=int, default=None,
                    help="default: torch's default for the dynamo exporter (20 in torch 2.15), 17 for torchscript")
    ap.add_argument("--exporter", choices=bx.EXPORTERS, default=bx.DEFAULT_EXPORTER)
    ap.add_argument("--dtype", choices=("float32", "bfloat16", "float16"), default="float32",
                    help="compute dtype the model is loaded in (default float32)")
    ap.add_argument("--fold-limit", type=int, default=None,
                    help="dynamo: fold only nodes whose inputs have <= N elements")
    ap.add_argument("--attn-implementation", default="sdpa", choices=("sdpa", "eager"))
    ap.add_argument("--reference", action="store_true",
                    help="also write PyTorch reference logits (<name>.ref.npz)")
    a = ap.parse_args(argv)
    forms = FORMS if a.form == "both" else (a.form,)
    export_checkpoint(a.checkpoint, a.output_dir, forms, a.opset, a.exporter, a.dtype,
                      a.fold_limit, a.reference, a.attn_implementation)


if __name__ == "__main__":
    main()
