"""ONNX export of the three forms, checked with onnx.checker and onnxruntime."""
import collections
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from bitnet import build_model, get_config
from bitnet.export import form_module, io_spec
from bitnet.inspect import format_summary, main as inspect_main, summarize
from conftest import TEST_CONFIGS, assert_logits_close

FORMS = ("training", "inference", "kvcache")


def session(path):
    return ort.InferenceSession(path, providers=["CPUExecutionProvider"])


def ids_for(cfg, batch=3, seq=11, seed=5):
    return np.random.default_rng(seed).integers(0, cfg.vocab_size, (batch, seq), dtype=np.int64)


def empty_past(cfg, batch):
    shape = (batch, cfg.num_kv_heads, 0, cfg.head_dim)
    return [np.zeros(shape, np.float32) for _ in range(2 * cfg.num_layers)]


def run(sess, cfg, ids, past=None):
    """Run any form; returns (logits, presents or None)."""
    feeds = {"input_ids": ids}
    names = [i.name for i in sess.get_inputs()]
    if len(names) > 1:
        past = empty_past(cfg, ids.shape[0]) if past is None else past
        feeds.update(zip(names[1:], past))
    out = sess.run(None, feeds)
    return out[0], (out[1:] if len(out) > 1 else None)


def ops(path):
    return collections.Counter(n.op_type for n in onnx.load(path).graph.node)


@pytest.mark.parametrize("folding", [True, False], ids=["fold", "nofold"])
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", TEST_CONFIGS)
def test_export_matches_torch(name, form, folding, models, exported):
    model = models(name)
    cfg = model.config
    path = exported(name, form, folding)
    onnx.checker.check_model(path, full_check=True)
    proto = onnx.load(path)
    print(f"\n{name}/{form}/{'fold' if folding else 'nofold'}\n{format_summary(summarize(proto))}")
    ins, outs, _ = io_spec(cfg, form)
    assert [i.name for i in proto.graph.input] == ins
    assert [o.name for o in proto.graph.output] == outs
    ids = ids_for(cfg)
    got, presents = run(session(path), cfg, ids)
    args = [torch.from_numpy(ids)]
    if form == "kvcache":
        args += [torch.from_numpy(t) for t in empty_past(cfg, 3)]
    with torch.no_grad():
        ref = form_module(model, form, 17)(*args)
    ref = ref[0] if isinstance(ref, tuple) else ref
    assert got.dtype == np.float32 and got.shape == (3, 11, cfg.vocab_size)
    assert_logits_close(got, ref.numpy(), f"{name}/{form}")
    if form == "kvcache":
        assert len(presents) == 2 * cfg.num_layers
        assert presents[0].shape == (3, cfg.num_kv_heads, 11, cfg.head_dim)


@pytest.mark.parametrize("name", TEST_CONFIGS)
def test_training_form_equals_inference_form(name, models, exported):
    cfg = models(name).config
    ids = ids_for(cfg, seed=7)
    a, _ = run(session(exported(name, "training")), cfg, ids)
    b, _ = run(session(exported(name, "inference", folding=False)), cfg, ids)
    assert_logits_close(a, b, name)


@pytest.mark.parametrize("name", TEST_CONFIGS)
def test_kvcache_incremental_equals_full(name, models, exported):
    cfg = models(name).config
    sess = session(exported(name, "kvcache"))
    for batch in (1, 2):
        ids = ids_for(cfg, batch=batch, seq=9, seed=batch)
        full, _ = run(sess, cfg, ids)
        prompt, past = run(sess, cfg, ids[:, :8])           # prompt with an empty cache
        step, present = run(sess, cfg, ids[:, 8:], past)    # one token with the cache
        assert present[0].shape == (batch, cfg.num_kv_heads, 9, cfg.head_dim)
        assert_logits_close(prompt, full[:, :8], name)
        assert_logits_close(step, full[:, 8:], name)
        # and the non-cache inference graph agrees with the cache graph
        ref, _ = run(session(exported(name, "inference")), cfg, ids)
        assert_logits_close(full, ref, name)


def test_form_op_sets(exported):
    train, infer = ops(exported("tiny", "training")), ops(exported("tiny", "inference"))
    # training: weight absmean quantization + STE recomputed in the graph
    for op in ("Abs", "ReduceMean", "Round", "Clip", "Reciprocal", "ReduceMax"):
        assert train[op] > 0, op
    assert "BitShift" not in train
    # inference (opset 17): unpacking via BitShift + Mod; no weight absmean (only RMSNorm means)
    assert infer["BitShift"] == 4 * 14 and infer["Mod"] == 4 * 14 and "BitwiseAnd" not in infer
    assert infer["ReduceMean"] == 9
    infer18 = ops(exported("tiny", "inference", opset=18))
    assert infer18["BitwiseAnd"] == 4 * 14 and "Mod" not in infer18
    init_types = collections.Counter(t.data_type for t in onnx.load(exported("tiny", "training")).graph.initializer)
    assert onnx.TensorProto.UINT8 not in init_types


# Every opset for the inference form (its unpacking is opset dependent), a sample for the
# others; 17 is covered above. 21 goes through onnx.version_converter (torch stops at 20).
OPSET_CASES = ([("inference", o) for o in (13, 14, 15, 16, 18, 19, 20, 21)]
               + [(f, o) for f in ("training", "kvcache") for o in (13, 18, 20, 21)])


@pytest.mark.parametrize("form,opset", OPSET_CASES)
def test_opsets(form, opset, models, exported):
    cfg = models("tiny").config
    path = exported("tiny", form, opset=opset)
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    assert {o.domain: o.version for o in proto.opset_import}[""] == opset
    ids = ids_for(cfg, batch=2, seq=5)
    ref, _ = run(session(exported("tiny", form)), cfg, ids)
    got, _ = run(session(path), cfg, ids)
    assert_logits_close(got, ref, f"opset {opset}")


def test_cli_external_data(tmp_path, capsys):
    out = tmp_path / "m.onnx"
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), os.pardir))
    subprocess.run([sys.executable, "-m", "bitnet.export", "--config", "odd", "--form", "inference",
                    "--external-data", "--no-constant-folding", "--seed", "3", "-o", str(out)],
                   check=True, env=env)
    assert (tmp_path / "m.onnx.data").exists()
    proto = onnx.load(str(out), load_external_data=False)
    locations = {e.value for t in proto.graph.initializer for e in t.external_data if e.key == "location"}
    assert locations == {"m.onnx.data"}  # relative path beside the model
    onnx.checker.check_model(str(out))
    meta = {p.key: p.value for p in proto.metadata_props}
    assert meta["bitnet.form"] == "inference" and meta["bitnet.seed"] == "3"
    m = build_model(get_config("odd"), 3)
    ids = ids_for(m.config)
    got, _ = run(session(str(out)), m.config, ids)
    with torch.no_grad():
        assert_logits_close(got, m(torch.from_numpy(ids))[0].numpy(), "cli")
    inspect_main([str(out)])
    summary = capsys.readouterr().out
    assert "BitShift" in summary and "uint8" in summary
