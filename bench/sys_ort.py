"""onnxruntime FP32 on the same KV-cache ONNX file: presents fed back as the next pasts."""
import numpy as np
import onnxruntime as ort


class System:
    def __init__(self, onnx_path: str, threads: int):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # Default (ORT_ENABLE_ALL) optimization: constant folding turns the in-graph unpacking
        # of the 2-bit weights into FP32 initializers once, at session creation.
        self.sess = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
        ins = self.sess.get_inputs()
        self.past_names = [i.name for i in ins if i.name.startswith("past_key_values")]
        # [batch, kv_heads, past, head_dim]: kv_heads and head_dim are static in the export.
        shape = next(i.shape for i in ins if i.name in self.past_names)
        self.empty = np.zeros((1, shape[1], 0, shape[3]), dtype=np.float32)
        self.vocab = self.sess.get_outputs()[0].shape[-1]
        self.reset()

    def reset(self):
        self.past = [self.empty] * len(self.past_names)

    def run(self, tokens):
        feed = {"input_ids": np.asarray([tokens], dtype=np.int64)}
        feed.update(zip(self.past_names, self.past))
        outs = self.sess.run(None, feed)
        self.past = outs[1:]
