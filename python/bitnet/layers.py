"""Building blocks: RMSNorm, BitLinear (latent weights), PackedBitLinear (2-bit weights), RoPE."""
import math

import torch
import torch.nn.functional as F
from torch import nn

from . import packing, quant


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        # Same op order as HF BitNetRMSNorm: x * rsqrt(mean(x^2) + eps), then * weight.
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x


class BitLinear(nn.Module):
    """Training-form BitLinear: FP32 latent weight [out, in], quantized on every forward.

    No bias (BitNet b1.58 has none). Both weight and activation quantizers use the STE,
    so the module is trainable; in ONNX the STE is the visible W + (q(W) - W).
    """

    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))

    def forward(self, x):
        w = quant.ste(self.weight, quant.weight_fake_quant(self.weight))
        x = quant.ste(x, quant.act_fake_quant(x))
        return F.linear(x, w)


class PackedBitLinear(nn.Module):
    """Inference-form BitLinear: uint8 `weight` [ceil(out/4), in] (2B4T layout) + `weight_scale` [1].

    weight_scale here is the dequantization multiplier (~mean|W|): W = trits * weight_scale.
    NOTE: the released HF 2B4T checkpoint stores the reciprocal (its BitLinear divides the
    matmul output by weight_scale); a checkpoint loader must invert it.
    No STE: this form is not trainable.
    """

    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.use_bitwise_and = True  # switched off by the exporter for opset < 18
        self.register_buffer("weight", torch.zeros(packing.packed_rows(out_features), in_features,
                                                   dtype=torch.uint8))
        self.register_buffer("weight_scale", torch.ones(1))

    @classmethod
    def from_bitlinear(cls, lin: BitLinear) -> "PackedBitLinear":
        m = cls(lin.in_features, lin.out_features)
        with torch.no_grad():
            trits, _ = quant.ternarize(lin.weight)
            m.weight.copy_(packing.pack_ternary_torch(trits))
            m.weight_scale.copy_(quant.dequant_scale(lin.weight).reshape(1))
        return m

    def dequantized_weight(self):
        trits = packing.unpack_ternary_torch(self.weight, self.out_features, self.use_bitwise_and)
        return trits * self.weight_scale

    def forward(self, x):
        return F.linear(quant.act_fake_quant(x), self.dequantized_weight())


def rope_tables(max_position: int, head_dim: int, theta: float):
    """cos/sin tables [max_position, head_dim] for rotate-half RoPE (computed in float64)."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    freqs = torch.outer(torch.arange(max_position, dtype=torch.float64), inv_freq)
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos().float(), emb.sin().float()


# Static sizes (head_dim, head counts) are passed as Python ints rather than read from
# x.shape: under tracing, shape reads become Shape/Gather nodes in the ONNX graph.

def rotate_half(x, head_dim: int):
    half = head_dim // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def apply_rope(x, cos, sin, head_dim: int):
    """x: [batch, heads, seq, head_dim]; cos/sin: [seq, head_dim] (broadcast)."""
    return x * cos + rotate_half(x, head_dim) * sin


def repeat_kv(x, kv_heads: int, n_rep: int, head_dim: int):
    """[b, kv_heads, s, d] -> [b, kv_heads * n_rep, s, d] (HF repeat_kv)."""
    if n_rep == 1:
        return x
    b, s = x.shape[0], x.shape[2]
    x = x[:, :, None, :, :].expand(b, kv_heads, n_rep, s, head_dim)
    return x.reshape(b, kv_heads * n_rep, s, head_dim)


def attention_scale(head_dim: int) -> float:
    return 1.0 / math.sqrt(head_dim)
