"""2-bit packing in the BitNet b1.58 2B4T layout, checked against independent numpy code."""
import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

from bitnet import packing, quant
from bitnet.layers import BitLinear, PackedBitLinear


def hf_unpack_reference(packed, out_features):
    """Literal transcription of the HF transformers unpack_weights loop (then slice the padding)."""
    rows = packed.shape[0]
    unpacked = np.zeros((rows * 4, packed.shape[1]), dtype=np.uint8)
    for i in range(4):
        unpacked[i * rows:(i + 1) * rows] = (packed & (3 << (2 * i))) >> (2 * i)
    return unpacked.astype(np.int16)[:out_features] - 1


def hf_pack_reference(trits):
    """Literal transcription of the HF transformers pack_weights loop."""
    out = trits.shape[0]
    rows = (out + 3) // 4
    vals = (trits + 1).astype(np.uint8)
    packed = np.zeros((rows, trits.shape[1]), dtype=np.uint8)
    for i in range(min(4, out // rows + 1)):
        start, end = i * rows, min(i * rows + rows, out)
        packed[:end - start] |= vals[start:end] << (2 * i)
    return packed


def test_hf_docstring_example():
    # Example from the HF unpack_weights docstring.
    packed = np.array([[0b10100001, 0b00011000], [0b10010000, 0b00001010]], dtype=np.uint8)
    want = [[0, -1], [-1, 1], [-1, 1], [-1, 1], [1, 0], [0, -1], [1, -1], [1, -1]]
    np.testing.assert_array_equal(packing.unpack_ternary_np(packed, 8), want)
    np.testing.assert_array_equal(packing.pack_ternary_np(np.array(want)), packed)


@pytest.mark.parametrize("out_features", [1, 2, 3, 4, 5, 7, 8, 9, 60, 97, 172])
def test_round_trip_matches_hf(out_features):
    rng = np.random.default_rng(out_features)
    trits = rng.integers(-1, 2, size=(out_features, 13))
    packed = packing.pack_ternary_np(trits)
    assert packed.dtype == np.uint8 and packed.shape == ((out_features + 3) // 4, 13)
    np.testing.assert_array_equal(packed, hf_pack_reference(trits))
    np.testing.assert_array_equal(hf_unpack_reference(packed, out_features), trits)
    np.testing.assert_array_equal(packing.unpack_ternary_np(packed, out_features), trits)
    # The in-graph torch unpacker, both variants (BitwiseAnd and Mod).
    for use_and in (True, False):
        got = packing.unpack_ternary_torch(torch.from_numpy(packed), out_features, use_and)
        assert got.dtype == torch.float32
        np.testing.assert_array_equal(got.numpy(), trits)


def test_packed_linear_dequant_is_exact():
    lin = BitLinear(37, 23)
    torch.nn.init.normal_(lin.weight, generator=torch.Generator().manual_seed(0))
    packed = PackedBitLinear.from_bitlinear(lin)
    # Bit-exact: trits * weight_scale == clamp(round(W*s), -1, 1) / s.
    assert torch.equal(packed.dequantized_weight(), quant.weight_fake_quant(lin.weight))
    torch.testing.assert_close(packed.weight_scale[0], lin.weight.abs().mean(), rtol=1e-6, atol=0)


@pytest.mark.parametrize("name", ["tiny", "odd"])
def test_onnx_initializers_unpack_to_model_trits(name, models, exported):
    """Decode the uint8 initializers of the exported inference graph with numpy."""
    model = models(name)
    inits = {t.name: numpy_helper.to_array(t)
             for t in onnx.load(exported(name, "inference")).graph.initializer}
    n = 0
    for mod_name, mod in model.named_modules():
        if not isinstance(mod, BitLinear):
            continue
        packed = inits[f"{mod_name}.weight"]
        assert packed.dtype == np.uint8
        assert packed.shape == (packing.packed_rows(mod.out_features), mod.in_features)
        trits, _ = quant.ternarize(mod.weight.detach())
        np.testing.assert_array_equal(packing.unpack_ternary_np(packed, mod.out_features),
                                      trits.numpy())
        scale = inits[f"{mod_name}.weight_scale"]
        assert scale.dtype == np.float32 and scale.shape == (1,)
        assert scale[0] == quant.dequant_scale(mod.weight.detach()).item()
        n += 1
    assert n == 7 * model.config.num_layers
