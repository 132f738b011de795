"""BitNet b1.58 reference model (PyTorch) and ONNX exporter.

Submodules: config (model shapes), quant (ternary/int8 fake quantization),
packing (2-bit weight packing in the BitNet b1.58 2B4T layout), layers,
model, export (CLI: python -m bitnet.export), inspect (CLI: python -m bitnet.inspect).
"""
from .config import CONFIGS, BitNetConfig, get_config
from .model import BitNetForCausalLM, build_model, to_packed

__all__ = ["CONFIGS", "BitNetConfig", "get_config", "BitNetForCausalLM", "build_model", "to_packed"]
