//===- Passes.td - bitnet-mlir passes on upstream IR -------*- tablegen -*-===//

#ifndef BITNET_TRANSFORMS_PASSES_TD
#define BITNET_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ExportModelEntryPass : Pass<"bitnet-export-model-entry", "::mlir::ModuleOp"> {
  let summary = "Mark the model's entry for the C ABI and record its signature";
  let description = [{
    The entry (`main_graph`, or the only public function) gets
    `llvm.emit_c_interface`, so LLVM code has `_mlir_ciface_<name>` taking
    memref descriptors. Its tensor signature, which lowering erases, is
    recorded on the module as `bitnet.model_entry`: the function name and,
    per input and output, the ONNX name, element type and dims (-1 for
    dynamic), and `max_context`, the longest sequence the model handles
    (from the `bitnet.config` ONNX metadata of bitnet.export; 0 when
    unknown). `--emit=lib` reads it to generate the trampoline the runtime
    calls. Tensor types only: anything else is an error.
  }];
}

def KVCacheInPlacePass : Pass<"bitnet-kv-cache-in-place", "::mlir::ModuleOp"> {
  let summary = "Append each decode step's keys and values to the caller's cache buffers";
  let description = [{
    An exported KV-cache graph takes `past_key_values.<s>` ([B, H, past, D])
    and returns `present.<s> = Concat(past, new, axis = 2)`: every step
    copies the whole cache. This pass rewrites each such pair of the model
    entry so that the cache never moves:

    - the past input becomes the cache buffer itself, of any capacity in
      dim 2, and is marked writable;
    - a new input `bitnet.past_length` (i64, rank 0) says how many of its
      rows are filled; every other use of the past reads those rows;
    - the new rows are inserted in place after them, and the Concat's
      users read the filled rows of the updated buffer;
    - the present output is dropped: the caller's buffer is the present.

    The runtime (docs/Runtime.md) recognizes the form by the
    `bitnet.past_length` input and owns buffers with room to grow. Runs
    on onnx IR after shape inference; entries without the pattern are left
    as they are. Concats of a past that is not returned, or returned
    twice, are left as copies.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::bufferization::BufferizationDialect"];
}

def LowerMemRefCopyPass : Pass<"bitnet-lower-memref-copy"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Copies between strided buffers otherwise lower to calls of
    `memrefCopy` from MLIR's runner-utils library, which compiled models do
    not link; as linalg.copy they become plain loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def RejectUnloweredPass : Pass<"bitnet-reject-unlowered"> {
  let summary = "Report every op of the given dialects that is left, by node";
  let description = [{
    Lowering passes leave the ops they do not handle in place. A model
    pipeline runs this pass after them: each leftover op of `dialects` is
    an error `node '<name>' (<OpType>): cannot be compiled: <why>`, located
    in the model file, and the pass fails. A user never sees a later pass
    fail on an op it was not written for ("op was not bufferized").
  }];
  let options = [
    ListOption<"dialects", "dialects", "std::string",
               "Dialects none of whose ops may be left (default: onnx)">
  ];
}

def ParallelizeKernelsPass : Pass<"bitnet-parallelize-kernels"> {
  let summary = "Turn the linalg ops marked bitnet.parallel into scf.parallel";
  let description = [{
    On buffers: each linalg op carrying `bitnet.parallel` (the ternary
    product kernels set it) becomes a nest of `scf.parallel` loops over its
    parallel dimensions; other ops are left for `convert-linalg-to-loops`.
    `convert-scf-to-openmp` then runs those loops on OpenMP threads, so
    only the work that pays for a fork is forked. Every `scf.forall` on
    buffers (the register-blocked kernels' tiles) becomes `scf.parallel`
    too; without a thread runtime, a sequential `scf.for` nest.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def OpReportPass : Pass<"bitnet-op-report-table", "::mlir::ModuleOp"> {
  let summary = "Print, per linear layer and in total, what one token costs";
  let description = [{
    On IR after ternary recognition (`--bitnet-op-report` runs the passes
    before it): per `ternary.bitlinear` the int8 additions (one per non-zero
    trit), the rescaling multiplications (one per output) and the packed
    weight bytes; per float MatMul by constant weights, its multiply-adds
    and bytes. Totals come with the 7 nm energy estimate of the BitNet
    papers and the same figures for an FP16 model of the same shape. The
    module is not changed.
  }];
}

def OutlineKernelsPass : Pass<"bitnet-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Move each top-level loop nest into a function of its own";
  let description = [{
    On buffers, after the kernels are loops: every op with regions at the
    top of a function body (a loop nest, an OpenMP parallel region, an
    scf.if) becomes a private, never-inlined function called in its place.
    Values the nest reads from outside become arguments, except constants
    without operands, which are cloned in, so that the nests of two layers
    differ only in the buffers they are passed. `duplicate-function-
    elimination` then keeps one function per distinct kernel.

    Without this, a model is one function of every layer's loops, on which
    LLVM's optimizer spends time that grows faster than its size, and which
    it compiles once per layer. Nests that yield memrefs stay where they
    are: a buffer a callee allocates on its stack cannot be returned.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

#endif // BITNET_TRANSFORMS_PASSES_TD
