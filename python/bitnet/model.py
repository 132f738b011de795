"""BitNet b1.58 causal LM (LLaMA-style, as HF BitNetForCausalLM / the 2B4T release).

Parameter names follow the HF checkpoint (model.layers.N.self_attn.q_proj.weight, ...),
so they show up unchanged as ONNX initializer names.
"""
import copy

import torch
import torch.nn.functional as F
from torch import nn

from .config import BitNetConfig
from .layers import (BitLinear, PackedBitLinear, RMSNorm, apply_rope, attention_scale,
                     repeat_kv, rope_tables)


class Attention(nn.Module):
    def __init__(self, cfg: BitNetConfig):
        super().__init__()
        self.h, self.kv, self.d = cfg.num_heads, cfg.num_kv_heads, cfg.head_dim
        self.q_proj = BitLinear(cfg.hidden_size, self.h * self.d)
        self.k_proj = BitLinear(cfg.hidden_size, self.kv * self.d)
        self.v_proj = BitLinear(cfg.hidden_size, self.kv * self.d)
        # BitNet sub-norm: RMSNorm on the attention output, i.e. on o_proj's input.
        self.attn_sub_norm = RMSNorm(self.h * self.d, cfg.rms_eps)
        self.o_proj = BitLinear(self.h * self.d, cfg.hidden_size)

    def forward(self, x, cos, sin, mask, past=None):
        b, s = x.shape[0], x.shape[1]
        q = self.q_proj(x).view(b, s, self.h, self.d).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv, self.d).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv, self.d).transpose(1, 2)
        q, k = apply_rope(q, cos, sin, self.d), apply_rope(k, cos, sin, self.d)
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        present = (k, v)  # cached keys are post-RoPE and not repeated (kv_heads)
        n_rep = self.h // self.kv
        k = repeat_kv(k, self.kv, n_rep, self.d)
        v = repeat_kv(v, self.kv, n_rep, self.d)
        scores = torch.matmul(q, k.transpose(2, 3)) * attention_scale(self.d)
        # Finite fill value instead of -inf: every row keeps its diagonal, and a finite
        # value avoids inf arithmetic in compilers that fold or reorder the softmax.
        scores = scores.masked_fill(mask, torch.finfo(torch.float32).min)
        out = torch.matmul(F.softmax(scores, dim=-1), v)
        out = out.transpose(1, 2).reshape(b, s, self.h * self.d)
        return self.o_proj(self.attn_sub_norm(out)), present


class MLP(nn.Module):
    def __init__(self, cfg: BitNetConfig):
        super().__init__()
        self.gate_proj = BitLinear(cfg.hidden_size, cfg.intermediate_size)
        self.up_proj = BitLinear(cfg.hidden_size, cfg.intermediate_size)
        self.ffn_sub_norm = RMSNorm(cfg.intermediate_size, cfg.rms_eps)
        self.down_proj = BitLinear(cfg.intermediate_size, cfg.hidden_size)

    def forward(self, x):
        # Squared-ReLU GLU (BitNet 2B4T hidden_act="relu2").
        h = F.relu(self.gate_proj(x)) ** 2 * self.up_proj(x)
        return self.down_proj(self.ffn_sub_norm(h))


class DecoderLayer(nn.Module):
    def __init__(self, cfg: BitNetConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, mask, past=None):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, present


class BitNetModel(nn.Module):
    def __init__(self, cfg: BitNetConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.num_layers))
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_eps)
        cos, sin = rope_tables(cfg.max_position, cfg.head_dim, cfg.rope_theta)
        self.register_buffer("rope_cos", cos)
        self.register_buffer("rope_sin", sin)

    def forward(self, input_ids, past_key_values=None):
        seq = input_ids.shape[1]
        past_len = past_key_values[0][0].shape[2] if past_key_values is not None else 0
        cos = self.rope_cos[past_len:past_len + seq]
        sin = self.rope_sin[past_len:past_len + seq]
        # Causal mask [seq, past+seq]: query i (absolute position past+i) may not see key j > past+i.
        q_pos = torch.arange(seq, device=input_ids.device) + past_len
        k_pos = torch.arange(past_len + seq, device=input_ids.device)
        mask = k_pos[None, :] > q_pos[:, None]
        x = self.embed_tokens(input_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            past = past_key_values[i] if past_key_values is not None else None
            x, present = layer(x, cos, sin, mask, past)
            presents.append(present)
        return self.norm(x), presents


class BitNetForCausalLM(nn.Module):
    def __init__(self, cfg: BitNetConfig):
        super().__init__()
        self.config = cfg
        self.model = BitNetModel(cfg)
        # lm_head stays high precision (not ternary), as in the release.
        self.lm_head = None if cfg.tie_embeddings else nn.Linear(cfg.hidden_size, cfg.vocab_size,
                                                                 bias=False)

    def forward(self, input_ids, past_key_values=None):
        """Returns (logits [b, s, vocab], presents: list of (key, value) [b, kv_heads, total, head_dim])."""
        h, presents = self.model(input_ids, past_key_values)
        w = self.model.embed_tokens.weight if self.lm_head is None else self.lm_head.weight
        return F.linear(h, w), presents

    @torch.no_grad()
    def init_weights(self, seed: int):
        """Deterministic init from `seed` (independent of torch's global RNG).

        Std 1/sqrt(fan_in) for all matrices keeps activations and logits O(1), so every
        layer visibly affects the output (tests would be weak with near-zero updates);
        norm gains are 1 +- 0.1 so that a missing or misplaced gain changes the result.
        """
        g = torch.Generator().manual_seed(seed)
        cfg = self.config
        for name, p in self.named_parameters():
            if isinstance(self.get_submodule(name.rsplit(".", 1)[0]), RMSNorm):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * p.shape[-1] ** -0.5)
        cos, sin = rope_tables(cfg.max_position, cfg.head_dim, cfg.rope_theta)
        self.model.rope_cos.copy_(cos)
        self.model.rope_sin.copy_(sin)
        return self


def build_model(cfg: BitNetConfig, seed: int = 0) -> BitNetForCausalLM:
    """Training-form model (latent FP32 weights) with deterministic weights."""
    if hasattr(torch.device("cpu"), "__enter__"):  # torch >= 2.0
        with torch.device("meta"):  # skip torch's default init (slow for the 2B config)
            m = BitNetForCausalLM(cfg)
        m.to_empty(device="cpu")
    else:  # torch 1.13: no device context manager
        m = BitNetForCausalLM(cfg)
    return m.init_weights(seed).eval()


def to_packed(model: BitNetForCausalLM) -> BitNetForCausalLM:
    """Copy of `model` with every BitLinear replaced by a PackedBitLinear (inference form)."""
    packed = copy.deepcopy(model)
    for name, mod in list(packed.named_modules()):
        for child_name, child in list(mod.named_children()):
            if isinstance(child, BitLinear):
                setattr(mod, child_name, PackedBitLinear.from_bitlinear(child))
    return packed.eval()


def set_unpack_mode(model: nn.Module, use_bitwise_and: bool):
    for m in model.modules():
        if isinstance(m, PackedBitLinear):
            m.use_bitwise_and = use_bitwise_and
