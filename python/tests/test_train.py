"""Training script (bitnet.train) and generation (bitnet.generate): determinism, learning,
the full-precision baseline, and the shipped model against its ONNX exports."""
import json
import os

import numpy as np
import pytest
import torch

from bitnet import quant
from bitnet.config import BitNetConfig
from bitnet.generate import generate_onnx, generate_torch, onnx_session, encode
from bitnet.layers import BitLinear
from bitnet.train import (BYTELM_CONFIG, MODEL_NAME, MODELS_DIR, FPLinear, TrainConfig, evaluate,
                          is_quantized, load_checkpoint, load_corpus, make_model, split_blocks,
                          train, val_windows)

SMALL = BitNetConfig(vocab_size=256, hidden_size=32, intermediate_size=64, num_layers=2,
                     num_heads=2, num_kv_heads=1, max_position=32)
SMALL_TC = TrainConfig(steps=24, batch_size=4, seq_len=32, lr=3e-3, warmup=4,
                       eval_every=12, eval_windows=16, seed=3)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Single-threaded: these models are tiny, and with 2 threads on a loaded machine the
    many small quantization ops spend most of their time in thread synchronization."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module")
def data():
    tr, vb = split_blocks(load_corpus())
    return tr, val_windows(vb, SMALL_TC.seq_len)


def run_small(data, quantized=True, seed=SMALL_TC.seed):
    model = make_model(SMALL, seed, quantized=quantized)
    tc = TrainConfig(**{**SMALL_TC.__dict__, "seed": seed})
    return model, train(model, data[0], data[1], tc)


def test_split_is_deterministic_and_disjoint():
    corpus = load_corpus()
    assert 100_000 < len(corpus) < 1_000_000
    tr, vb = split_blocks(corpus)
    tr2, vb2 = split_blocks(corpus)
    assert torch.equal(tr, tr2) and all(torch.equal(a, b) for a, b in zip(vb, vb2))
    assert len(tr) + sum(len(b) for b in vb) == len(corpus)
    assert 0.05 < sum(len(b) for b in vb) / len(corpus) < 0.15
    # Each validation block is absent from the training bytes.
    trb = bytes(tr.to(torch.uint8).tolist())
    assert all(bytes(b.to(torch.uint8).tolist()) not in trb for b in vb[:3])


def test_training_is_deterministic_and_learns(data):
    m1, h1 = run_small(data)
    m2, h2 = run_small(data)
    assert h1["train_loss"] == h2["train_loss"]
    assert h1["val_loss"] == h2["val_loss"]
    for (n, a), (_, b) in zip(m1.state_dict().items(), m2.state_dict().items()):
        assert torch.equal(a, b), n
    # Loss decreases: from ~ln(256)-ish at init to clearly lower within 24 steps.
    first, last = np.mean(h1["train_loss"][:3]), np.mean(h1["train_loss"][-3:])
    assert last < first - 1.0, (first, last)
    assert h1["val_loss"][-1] < h1["val_loss"][0]
    # A different seed gives a different run.
    _, h3 = run_small(data, seed=SMALL_TC.seed + 1)
    assert h3["train_loss"] != h1["train_loss"]


def test_fp_baseline_removes_quantization(data, monkeypatch):
    q = make_model(SMALL, 0, quantized=True)
    fp = make_model(SMALL, 0, quantized=False)
    n_bit = sum(type(m) is BitLinear for m in q.modules())
    assert n_bit == 7 * SMALL.num_layers
    assert is_quantized(q) and not is_quantized(fp)
    assert sum(type(m) is FPLinear for m in fp.modules()) == n_bit
    # Same parameters (names, shapes and initial values).
    sq, sf = q.state_dict(), fp.state_dict()
    assert sq.keys() == sf.keys() and all(torch.equal(sq[k], sf[k]) for k in sq)
    x = data[1][:4, :-1]
    with torch.no_grad():
        lq, lf = q(x)[0], fp(x)[0]
    assert (lq - lf).abs().max() > 1e-2  # quantization changes the output ...
    # ... and is all that differs: the quantized model with identity quantizers is the baseline.
    monkeypatch.setattr(quant, "weight_fake_quant", lambda w: w)
    monkeypatch.setattr(quant, "act_fake_quant", lambda x: x)
    with torch.no_grad():
        lq_id = q(x)[0]
    torch.testing.assert_close(lq_id, lf, rtol=0, atol=0)


def test_fp_baseline_trains(data):
    fp, h = run_small(data, quantized=False)
    assert not is_quantized(fp)
    assert np.mean(h["train_loss"][-3:]) < np.mean(h["train_loss"][:3]) - 1.0


SHIPPED = {form: os.path.join(MODELS_DIR, f"{MODEL_NAME}-{form}.onnx")
           for form in ("training", "inference")}
CHECKPOINT = os.path.join(MODELS_DIR, f"{MODEL_NAME}.pt")
METRICS = os.path.join(MODELS_DIR, "train_metrics.json")
shipped = pytest.mark.skipif(not all(os.path.exists(p) for p in [CHECKPOINT, *SHIPPED.values()]),
                             reason="no shipped model (run python -m bitnet.train)")


@pytest.fixture(scope="module")
def shipped_model():
    return load_checkpoint(CHECKPOINT)


@shipped
def test_shipped_checkpoint_matches_metrics(shipped_model):
    assert shipped_model.config == BYTELM_CONFIG
    assert is_quantized(shipped_model)
    with open(METRICS) as f:
        metrics = json.load(f)
    tr, vb = split_blocks(load_corpus())
    vwin = val_windows(vb, metrics["models"]["bitnet"]["train_config"]["seq_len"])
    val = evaluate(shipped_model, vwin)
    assert abs(val - metrics["models"]["bitnet"]["final_val_loss"]) < 1e-4


@shipped
@pytest.mark.parametrize("form", ["training", "inference"])
def test_shipped_generation_matches_onnxruntime(shipped_model, form):
    prompt = encode("Return the ")
    want = generate_torch(shipped_model, prompt, 10)
    got = generate_onnx(onnx_session(SHIPPED[form]), prompt, 10)
    assert got == want, (bytes(got), bytes(want))
