"""BitNet b1.58 fake quantization: absmean ternary weights, per-token absmax int8 activations.

Formulas follow the released BitNet b1.58 code (HF transformers `WeightQuant` / `ActQuant`).
Everything stays in float32 so the same code traces to plain ONNX arithmetic.
"""
import torch

EPS = 1e-5  # clamp for both scales, as in the reference implementation


def absmean_scale(w: torch.Tensor) -> torch.Tensor:
    """Per-tensor quantization scale s = 1 / max(mean|W|, eps) (a 0-d tensor)."""
    return 1.0 / w.abs().mean().clamp(min=EPS)


def ternarize(w: torch.Tensor):
    """Return (trits in {-1,0,1} as float, scale s) with W ~= trits / s."""
    s = absmean_scale(w)
    return (w * s).round().clamp(-1, 1), s


def weight_fake_quant(w: torch.Tensor) -> torch.Tensor:
    """u = clamp(round(W*s), -1, 1) / s."""
    t, s = ternarize(w)
    return t / s


def act_fake_quant(x: torch.Tensor) -> torch.Tensor:
    """Per-token (last dim) symmetric int8: y = clamp(round(x*s), -128, 127) / s, s = 127/max|x|."""
    s = 127.0 / x.abs().amax(dim=-1, keepdim=True).clamp(min=EPS)
    return (x * s).round().clamp(-128, 127) / s


def ste(x: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """Straight-through estimator: forward value q, gradient of identity w.r.t. x.

    Written as x + (q - x).detach() (not a custom autograd.Function) so that it traces
    to ordinary Sub/Add nodes in ONNX.
    """
    return x + (q - x).detach()


def dequant_scale(w: torch.Tensor) -> torch.Tensor:
    """Float32 value d with trits * d == trits / s bit-exactly.

    Since trits are in {-1, 0, 1}, trits / s is +-fl(1/s), so storing d = fl(1/s)
    (which equals mean|W| up to one ulp) makes the packed form reproduce the
    training form's dequantized weights exactly.
    """
    return 1.0 / absmean_scale(w)
