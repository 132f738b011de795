"""Our torch weights as a llama.cpp GGUF (architecture `bitnet`), ternary layers in TQ1_0/TQ2_0.

The model is built with the same config and seed as the ONNX export, so llama.cpp runs the
same ternary weights. Mapping onto llama.cpp's `bitnet` graph (src/models/bitnet.cpp):
  - names: HF LLaMA names to GGUF's (attn_q, ..., attn_sub_norm, ffn_sub_norm);
  - each BitLinear is stored dequantized, trits * scale; TQ quantization takes each
    256-weight block's absmax as its f16 scale, which is that same scale, so the trits are
    kept exactly (no separate `.scale` tensors needed);
  - RoPE: llama.cpp's bitnet uses NEOX rotation (rotate-half pairs), as our model does, so
    q/k are not permuted;
  - the head is tied: llama.cpp's bitnet graph multiplies by token_embd, stored f16;
  - difference: llama.cpp's bitnet FFN is SiLU(gate) * up, ours is ReLU(gate)^2 * up (the
    2B4T activation). Same shapes and the same amount of work; the logits differ.
TQ formats need rows (input dims) that are multiples of 256; other matrices fall back to
F16, as llama.cpp's own quantizer falls back, and the fallback is reported.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "python"))

FORMATS = ("TQ2_0", "TQ1_0")
BLOCK = 256  # QK_K: TQ1_0 and TQ2_0 blocks

PROJ = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
        "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate",
        "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
NORMS = {"input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
         "self_attn.attn_sub_norm": "attn_sub_norm", "mlp.ffn_sub_norm": "ffn_sub_norm"}


def ternary_weight(w):
    """Dequantized BitLinear weight (trits * scale) as float32 numpy, [out, in]."""
    from bitnet import quant
    trits, _ = quant.ternarize(w)
    return (trits * quant.dequant_scale(w)).float().numpy()


def write_gguf(config_name: str, seed: int, fmt: str, path: str) -> dict:
    """Write the GGUF; returns {"fallback_f16": [names], "ternary_bytes": n, "head_bytes": n}."""
    import gguf
    import torch
    from bitnet.config import get_config
    from bitnet.model import build_model

    cfg = get_config(config_name)
    if not cfg.tie_embeddings:
        raise ValueError("only tied models are mapped (llama.cpp's bitnet graph reads token_embd)")
    qtype = getattr(gguf.GGMLQuantizationType, fmt)
    model = build_model(cfg, seed)
    tmp = path + ".tmp"  # only a complete file is cached
    w = gguf.GGUFWriter(tmp, "bitnet")
    w.add_context_length(cfg.max_position)
    w.add_embedding_length(cfg.hidden_size)
    w.add_block_count(cfg.num_layers)
    w.add_feed_forward_length(cfg.intermediate_size)
    w.add_head_count(cfg.num_heads)
    w.add_head_count_kv(cfg.num_kv_heads)
    w.add_rope_dimension_count(cfg.head_dim)
    w.add_rope_freq_base(cfg.rope_theta)
    w.add_layer_norm_rms_eps(cfg.rms_eps)
    w.add_vocab_size(cfg.vocab_size)
    w.add_tokenizer_model("none")  # token ids in, logits out: no vocabulary needed
    w.add_file_type(int(getattr(gguf.LlamaFileType, f"MOSTLY_{fmt}")))

    info = {"fallback_f16": [], "ternary_bytes": 0, "head_bytes": 0}
    with torch.no_grad():
        sd = model.state_dict()
        embed = sd["model.embed_tokens.weight"].numpy().astype(np.float16)
        w.add_tensor("token_embd.weight", embed)
        info["head_bytes"] = embed.nbytes
        w.add_tensor("output_norm.weight", sd["model.norm.weight"].numpy())
        for i in range(cfg.num_layers):
            pre = f"model.layers.{i}."
            for ours, theirs in NORMS.items():
                w.add_tensor(f"blk.{i}.{theirs}.weight", sd[pre + ours + ".weight"].numpy())
            for ours, theirs in PROJ.items():
                data = ternary_weight(sd[pre + ours + ".weight"])
                name = f"blk.{i}.{theirs}.weight"
                if data.shape[-1] % BLOCK:
                    data = data.astype(np.float16)
                    info["fallback_f16"].append(name)
                    w.add_tensor(name, data)
                else:
                    data = gguf.quants.quantize(data, qtype)
                    w.add_tensor(name, data, raw_dtype=qtype)
                info["ternary_bytes"] += data.nbytes
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    os.replace(tmp, path)
    return info
