// bitnet-x86-int8-dot: the dot kernel's grouped byte products (four per
// i32 lane, as convert-ternary-to-linalg=kernel=dot writes each chunk)
// become the instruction the module's target has; the operands go in as
// bytes. Targets without one, and shapes that are not the kernel's, keep
// the multi_reduction.
// RUN: bitnet-opt %s -split-input-file -bitnet-x86-int8-dot -verify-diagnostics | FileCheck %s

// AVX-512 VNNI: one vpdpbusd on all 64 bytes, accumulating into %acc.
// CHECK-LABEL: func.func @vnni512
// CHECK-SAME: (%[[ACC:.*]]: vector<16xi32>, %{{.*}}: vector<64xi8>, %[[X:.*]]: vector<64xi8>)
// CHECK: %[[F:.*]] = arith.andi
// CHECK: %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[ACC]], %[[F]], %[[X]]) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK-NOT: vector.multi_reduction
// CHECK: return %[[R]]
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "sapphirerapids", features = "", int8_dot = "avx512-vnni", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 512 : i64}} {
  func.func @vnni512(%acc: vector<16xi32>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<16xi32> {
    %mask = arith.constant dense<3> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi32>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi32>
    %p = arith.muli %u, %s : vector<64xi32>
    %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
    return %r : vector<16xi32>
  }
}

// -----

// The products in the other order are the same dot.
// CHECK-LABEL: func.func @vnni512_swapped
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK-NOT: vector.multi_reduction
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "sapphirerapids", features = "", int8_dot = "avx512-vnni", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 512 : i64}} {
  func.func @vnni512_swapped(%acc: vector<16xi32>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<16xi32> {
    %mask = arith.constant dense<3> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi32>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi32>
    %p = arith.muli %s, %u : vector<64xi32>
    %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
    return %r : vector<16xi32>
  }
}

// -----

// AVX-VNNI: two 256-bit vpdpbusd, each on 32 bytes and 8 lanes of %acc.
// CHECK-LABEL: func.func @vnni256
// CHECK-SAME: (%[[ACC:.*]]: vector<16xi32>
// CHECK: %[[A0:.*]] = vector.extract_strided_slice %[[ACC]] {offsets = [0], sizes = [8], strides = [1]}
// CHECK: %[[D0:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"(%[[A0]], %{{.*}}, %{{.*}}) : (vector<8xi32>, vector<32xi8>, vector<32xi8>) -> vector<8xi32>
// CHECK: %[[R0:.*]] = vector.insert_strided_slice %[[D0]], %[[ACC]] {offsets = [0], strides = [1]}
// CHECK: %[[A1:.*]] = vector.extract_strided_slice %[[ACC]] {offsets = [8], sizes = [8], strides = [1]}
// CHECK: %[[D1:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"(%[[A1]]
// CHECK: %[[R1:.*]] = vector.insert_strided_slice %[[D1]], %[[R0]] {offsets = [8], strides = [1]}
// CHECK-NOT: vector.multi_reduction
// CHECK: return %[[R1]]
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "alderlake", features = "", int8_dot = "avx-vnni", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @vnni256(%acc: vector<16xi32>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<16xi32> {
    %mask = arith.constant dense<3> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi32>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi32>
    %p = arith.muli %u, %s : vector<64xi32>
    %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
    return %r : vector<16xi32>
  }
}

// -----

// AVX2: vpmaddubsw (byte pairs into i16) and vpmaddwd by ones (pairs of
// those into i32) per half, added to %acc: the fields are masked to 3, so
// no 16-bit pair sum saturates.
// CHECK-LABEL: func.func @avx2
// CHECK: %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%{{.*}}, %{{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// CHECK: %[[Q:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[P]], %{{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// CHECK: arith.addi %{{.*}}, %[[Q]] : vector<8xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK-NOT: vector.multi_reduction
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "znver3", features = "", int8_dot = "avx2", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @avx2(%acc: vector<16xi32>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<16xi32> {
    %mask = arith.constant dense<3> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi32>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi32>
    %p = arith.muli %u, %s : vector<64xi32>
    %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
    return %r : vector<16xi32>
  }
}

// -----

// AVX2's pair form (the tiled dot kernel's chunk: two byte products per i16
// lane) is vpmaddubsw alone per half, added in i16: no vpmaddwd.
// CHECK-LABEL: func.func @avx2_pairs
// CHECK-SAME: (%[[ACC:.*]]: vector<32xi16>, %{{.*}}: vector<64xi8>, %{{.*}}: vector<64xi8>)
// CHECK: %[[A0:.*]] = vector.extract_strided_slice %[[ACC]] {offsets = [0], sizes = [16], strides = [1]}
// CHECK: %[[P0:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%{{.*}}, %{{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// CHECK: arith.addi %[[A0]], %[[P0]] : vector<16xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK-NOT: pmadd.wd
// CHECK-NOT: vector.multi_reduction
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "znver3", features = "", int8_dot = "avx2", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @avx2_pairs(%acc: vector<32xi16>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<32xi16> {
    %mask = arith.constant dense<3> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi16>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi16>
    %p = arith.muli %u, %s : vector<64xi16>
    %g = vector.shape_cast %p : vector<64xi16> to vector<32x2xi16>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<32x2xi16> to vector<32xi16>
    return %r : vector<32xi16>
  }
}

// -----

// Pairs on a VNNI target are not the kernel's form there: left to LLVM.
// CHECK-LABEL: func.func @vnni_pairs
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.multi_reduction <add>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "sapphirerapids", features = "", int8_dot = "avx512-vnni", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 512 : i64}} {
  func.func @vnni_pairs(%acc: vector<32xi16>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<32xi16> {
    %mask = arith.constant dense<3> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi16>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi16>
    %p = arith.muli %u, %s : vector<64xi16>
    %g = vector.shape_cast %p : vector<64xi16> to vector<32x2xi16>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<32x2xi16> to vector<32xi16>
    return %r : vector<32xi16>
  }
}

// -----

// AVX2 with unsigned bytes up to 255: vpmaddubsw could saturate, so the
// reduction stays for LLVM.
// CHECK-LABEL: func.func @avx2_wide
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.multi_reduction <add>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "znver3", features = "", int8_dot = "avx2", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @avx2_wide(%acc: vector<16xi32>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<16xi32> {
    %mask = arith.constant dense<-1> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi32>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi32>
    %p = arith.muli %u, %s : vector<64xi32>
    %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
    return %r : vector<16xi32>
  }
}

// -----

// Base3 digits (the sum of two extended compares, at most 2) are bytes
// below 128 too: AVX2 takes them.
// CHECK-LABEL: func.func @avx2_base3
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK-NOT: vector.multi_reduction
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "znver3", features = "", int8_dot = "avx2", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @avx2_base3(%acc: vector<8xi32>, %bytes: vector<32xi8>, %x: vector<32xi8>) -> vector<8xi32> {
    %c86 = arith.constant dense<86> : vector<32xi8>
    %c171 = arith.constant dense<-85> : vector<32xi8>
    %lo = arith.cmpi uge, %bytes, %c86 : vector<32xi8>
    %hi = arith.cmpi uge, %bytes, %c171 : vector<32xi8>
    %a = arith.extui %lo : vector<32xi1> to vector<32xi8>
    %b = arith.extui %hi : vector<32xi1> to vector<32xi8>
    %d = arith.addi %a, %b : vector<32xi8>
    %u = arith.extui %d : vector<32xi8> to vector<32xi32>
    %s = arith.extsi %x : vector<32xi8> to vector<32xi32>
    %p = arith.muli %u, %s : vector<32xi32>
    %g = vector.shape_cast %p : vector<32xi32> to vector<8x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<8x4xi32> to vector<8xi32>
    return %r : vector<8xi32>
  }
}

// -----

// A sum that can reach 254 could saturate vpmaddubsw: left to LLVM.
// CHECK-LABEL: func.func @avx2_wide_sum
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.multi_reduction <add>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "znver3", features = "", int8_dot = "avx2", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @avx2_wide_sum(%acc: vector<8xi32>, %bytes: vector<32xi8>, %x: vector<32xi8>) -> vector<8xi32> {
    %mask = arith.constant dense<127> : vector<32xi8>
    %f = arith.andi %bytes, %mask : vector<32xi8>
    %d = arith.addi %f, %f : vector<32xi8>
    %u = arith.extui %d : vector<32xi8> to vector<32xi32>
    %s = arith.extsi %x : vector<32xi8> to vector<32xi32>
    %p = arith.muli %u, %s : vector<32xi32>
    %g = vector.shape_cast %p : vector<32xi32> to vector<8x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<8x4xi32> to vector<8xi32>
    return %r : vector<8xi32>
  }
}

// -----

// Not x86: left to the AArch64 tail (sdot comes from LLVM there).
// CHECK-LABEL: func.func @aarch64
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.multi_reduction <add>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cortex-a76", features = "", int8_dot = "dotprod", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "aarch64-linux-gnu", vector_bits = 128 : i64}} {
  func.func @aarch64(%acc: vector<16xi32>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<16xi32> {
    %mask = arith.constant dense<3> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi32>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi32>
    %p = arith.muli %u, %s : vector<64xi32>
    %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
    return %r : vector<16xi32>
  }
}

// -----

// x86 without int8 dot products: nothing to call.
// CHECK-LABEL: func.func @sse
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.multi_reduction <add>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "x86-64", features = "", int8_dot = "", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 128 : i64}} {
  func.func @sse(%acc: vector<16xi32>, %bytes: vector<64xi8>, %x: vector<64xi8>) -> vector<16xi32> {
    %mask = arith.constant dense<3> : vector<64xi8>
    %f = arith.andi %bytes, %mask : vector<64xi8>
    %u = arith.extui %f : vector<64xi8> to vector<64xi32>
    %s = arith.extsi %x : vector<64xi8> to vector<64xi32>
    %p = arith.muli %u, %s : vector<64xi32>
    %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
    %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
    return %r : vector<16xi32>
  }
}

// -----

// A target attribute the pass cannot read is an error, not a guess.
// expected-error @+1 {{malformed 'bitnet.target'}}
module attributes {bitnet.target = {backend = "llvm-cpu"}} {
  func.func @bad() {
    return
  }
}
