;; nnlab's WebAssembly SIMD kernels (128-bit SIMD). Compiled at build time by scripts/build-wasm.mjs into
;; engine/kernels/wasm-binary.generated.ts twice: as written, where every result is IEEE-exact and so the same on
;; every machine, and with each `c + t·b` of the micro-kernel fused into relaxed SIMD's f32x4.relaxed_madd (one
;; rounding instead of two where the processor has a fused multiply-add; the same on every run of one machine).
;; The fusing rewrites the exact text `(f32x4.add (local.get $c) (f32x4.mul (local.get $t) (local.get $b)))`, so a
;; multiply-add meant to be fused keeps that shape. engine/kernels/wasm-kernels.ts copies operands into this
;; module's memory and calls the exports below. All pointers are byte offsets into the memory; all
;; sizes count float32 elements; every matrix is row-major.
;;
;; A layer's three products (x·w forward, xᵀ·dz and dz·wᵀ backward) share one micro-kernel: B is first
;; packed into panels of 8 columns (k×8, contiguous, zero-padded), so the inner loop streams one panel with
;; two 16-byte loads per step, whatever B's layout was; A is read through two strides (row stride sa, depth
;; stride sp), which covers both A and Aᵀ. A 4×8 tile of C lives in 8 registers for the whole depth, so each
;; C element is the sum over p in ascending order, each product and each partial sum rounded to float32.
(module
  (memory (export "memory") 1)

  ;; dst ← B (k×n, row-major) as panels of 8 columns: panel q holds B[p, 8q..8q+7] for p = 0..k-1.
  (func $pack_b (param $b i32) (param $k i32) (param $n i32) (param $dst i32)
    (local $j0 i32) (local $w i32) (local $p i32) (local $src i32) (local $jj i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $j0 (i32.const 0))
    (block $panels_done
      (loop $panels
        (br_if $panels_done (i32.ge_s (local.get $j0) (local.get $n)))
        (local.set $w (i32.sub (local.get $n) (local.get $j0)))
        (local.set $src (i32.add (local.get $b) (i32.shl (local.get $j0) (i32.const 2))))
        (local.set $p (local.get $k))
        (if (i32.ge_s (local.get $w) (i32.const 8))
          (then
            (loop $full
              (v128.store (local.get $dst) (v128.load (local.get $src)))
              (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
              (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $full (local.get $p))))
          (else
            (loop $part
              (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
              (v128.store offset=16 (local.get $dst) (v128.const i32x4 0 0 0 0))
              (local.set $jj (i32.const 0))
              (loop $cols
                (f32.store
                  (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 2)))
                  (f32.load (i32.add (local.get $src) (i32.shl (local.get $jj) (i32.const 2)))))
                (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
                (br_if $cols (i32.lt_s (local.get $jj) (local.get $w))))
              (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $part (local.get $p)))))
        (local.set $j0 (i32.add (local.get $j0) (i32.const 8)))
        (br $panels))))

  ;; dst ← panels of the logical k×n matrix Bᵀ, where b holds B as n×k (row j is logical column j).
  (func $pack_bt (param $b i32) (param $k i32) (param $n i32) (param $dst i32)
    (local $j0 i32) (local $w i32) (local $jj i32) (local $src i32) (local $out i32) (local $p i32)
    (local $kBytes i32) (local $panelBytes i32)
    (local.set $kBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (local.set $j0 (i32.const 0))
    (block $panels_done
      (loop $panels
        (br_if $panels_done (i32.ge_s (local.get $j0) (local.get $n)))
        (local.set $w (i32.sub (local.get $n) (local.get $j0)))
        (if (i32.lt_s (local.get $w) (i32.const 8))
          (then
            ;; zero the whole panel first: the missing columns must contribute nothing
            (local.set $out (local.get $dst))
            (local.set $p (local.get $k))
            (loop $zero
              (v128.store (local.get $out) (v128.const i32x4 0 0 0 0))
              (v128.store offset=16 (local.get $out) (v128.const i32x4 0 0 0 0))
              (local.set $out (i32.add (local.get $out) (i32.const 32)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $zero (local.get $p))))
          (else (local.set $w (i32.const 8))))
        ;; column jj of the panel is row j0+jj of b, read contiguously and written with a 32-byte stride
        (local.set $jj (i32.const 0))
        (loop $cols
          (local.set $src (i32.add (local.get $b) (i32.mul (i32.add (local.get $j0) (local.get $jj)) (local.get $kBytes))))
          (local.set $out (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 2))))
          (local.set $p (local.get $k))
          (loop $rows
            (f32.store (local.get $out) (f32.load (local.get $src)))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br_if $rows (local.get $p)))
          (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
          (br_if $cols (i32.lt_s (local.get $jj) (local.get $w))))
        (local.set $dst (i32.add (local.get $dst) (local.get $panelBytes)))
        (local.set $j0 (i32.add (local.get $j0) (i32.const 8)))
        (br $panels))))

  ;; z > 0 ? z : slope·z, lane by lane (slopes holds the slope in every lane)
  (func $leaky (param $z v128) (param $slopes v128) (result v128)
    (v128.bitselect
      (local.get $z)
      (f32x4.mul (local.get $z) (local.get $slopes))
      (f32x4.gt (local.get $z) (v128.const f32x4 0 0 0 0))))

  ;; Writes a 4×8 tile at dst (row stride nBytes), only its first `rows` rows and `w` columns when it is an edge tile.
  (func $store_tile (param $dst i32) (param $nBytes i32) (param $rows i32) (param $w i32) (param $tmp i32)
                    (param $v00 v128) (param $v01 v128) (param $v10 v128) (param $v11 v128)
                    (param $v20 v128) (param $v21 v128) (param $v30 v128) (param $v31 v128)
    (local $r i32) (local $jj i32) (local $src i32)
    (if (i32.and (i32.ge_s (local.get $rows) (i32.const 4)) (i32.ge_s (local.get $w) (i32.const 8)))
      (then
        (v128.store (local.get $dst) (local.get $v00))
        (v128.store offset=16 (local.get $dst) (local.get $v01))
        (local.set $dst (i32.add (local.get $dst) (local.get $nBytes)))
        (v128.store (local.get $dst) (local.get $v10))
        (v128.store offset=16 (local.get $dst) (local.get $v11))
        (local.set $dst (i32.add (local.get $dst) (local.get $nBytes)))
        (v128.store (local.get $dst) (local.get $v20))
        (v128.store offset=16 (local.get $dst) (local.get $v21))
        (local.set $dst (i32.add (local.get $dst) (local.get $nBytes)))
        (v128.store (local.get $dst) (local.get $v30))
        (v128.store offset=16 (local.get $dst) (local.get $v31))
        (return)))
    ;; an edge tile: park it in tmp, then copy only the rows and columns that exist
    (v128.store offset=0 (local.get $tmp) (local.get $v00))
    (v128.store offset=16 (local.get $tmp) (local.get $v01))
    (v128.store offset=32 (local.get $tmp) (local.get $v10))
    (v128.store offset=48 (local.get $tmp) (local.get $v11))
    (v128.store offset=64 (local.get $tmp) (local.get $v20))
    (v128.store offset=80 (local.get $tmp) (local.get $v21))
    (v128.store offset=96 (local.get $tmp) (local.get $v30))
    (v128.store offset=112 (local.get $tmp) (local.get $v31))
    (if (i32.gt_s (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
    (if (i32.gt_s (local.get $w) (i32.const 8)) (then (local.set $w (i32.const 8))))
    (local.set $r (i32.const 0))
    (loop $edge_rows
      (local.set $src (i32.add (local.get $tmp) (i32.shl (local.get $r) (i32.const 5))))
      (local.set $jj (i32.const 0))
      (loop $edge_cols
        (f32.store
          (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 2)))
          (f32.load (i32.add (local.get $src) (i32.shl (local.get $jj) (i32.const 2)))))
        (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
        (br_if $edge_cols (i32.lt_s (local.get $jj) (local.get $w))))
      (local.set $dst (i32.add (local.get $dst) (local.get $nBytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $edge_rows (i32.lt_s (local.get $r) (local.get $rows)))))

  ;; out[j] = Σ_r a[r, j] for a[rows×cols], r ascending for every column (bit-identical to the reference)
  (func $sum_rows (param $a i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $j i32) (local $r i32) (local $src i32) (local $rowBytes i32) (local $acc v128) (local $s f32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $vectors_done
      (loop $vectors
        (br_if $vectors_done (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
        (local.set $src (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $r (local.get $rows))
        (loop $down
          (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $src))))
          (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
          (local.set $r (i32.sub (local.get $r) (i32.const 1)))
          (br_if $down (local.get $r)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vectors)))
    (block $scalars_done
      (loop $scalars
        (br_if $scalars_done (i32.ge_s (local.get $j) (local.get $cols)))
        (local.set $src (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $s (f32.const 0))
        (local.set $r (local.get $rows))
        (loop $down1
          (local.set $s (f32.add (local.get $s) (f32.load (local.get $src))))
          (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
          (local.set $r (i32.sub (local.get $r) (i32.const 1)))
          (br_if $down1 (local.get $r)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $scalars))))

  ;; c[m×n] = A·Bp, where A(i, p) is the float at a + 4·(i·sa + p·sp) and bp holds B in 8-column panels.
  ;; tmp is 128 bytes of scratch for edge tiles. Requires m, k, n ≥ 1.
  ;; Epilogue: when bias ≠ 0 it points at ⌈n/8⌉·8 floats (zero-padded) added to every row of c; when act ≠ 0,
  ;; f(c) is also written to out: 1 relu (pmax(0, z): NaN → 0 like the JavaScript z > 0 ? z : 0),
  ;; 2 leaky relu (slope·z for z ≤ 0), 3 linear (a copy).
  (func $gemm (param $a i32) (param $sa i32) (param $sp i32) (param $bp i32) (param $c i32)
              (param $m i32) (param $k i32) (param $n i32) (param $tmp i32)
              (param $bias i32) (param $act i32) (param $slope f32) (param $out i32)
    (local $spb i32) (local $saBytes i32) (local $nBytes i32) (local $panelBytes i32) (local $last i32)
    (local $j0 i32) (local $w i32) (local $panel i32) (local $i0 i32) (local $rows i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $p i32)
    (local $offset i32)
    (local $b0 v128) (local $b1 v128) (local $t v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128) (local $slopes v128)
    (local.set $slopes (f32x4.splat (local.get $slope)))
    (local.set $spb (i32.shl (local.get $sp) (i32.const 2)))
    (local.set $saBytes (i32.shl (local.get $sa) (i32.const 2)))
    (local.set $nBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (local.set $last (i32.mul (i32.sub (local.get $m) (i32.const 1)) (local.get $saBytes)))
    (local.set $panel (local.get $bp))
    (local.set $j0 (i32.const 0))
    (loop $panels
      (local.set $w (i32.sub (local.get $n) (local.get $j0)))
      (local.set $i0 (i32.const 0))
      (loop $blocks
        (local.set $rows (i32.sub (local.get $m) (local.get $i0)))
        ;; rows past the end re-read the last row (their results are dropped), so the loop has no branches
        (local.set $pa0 (i32.mul (local.get $i0) (local.get $saBytes)))
        (local.set $pa1 (i32.add (local.get $pa0) (local.get $saBytes)))
        (local.set $pa2 (i32.add (local.get $pa1) (local.get $saBytes)))
        (local.set $pa3 (i32.add (local.get $pa2) (local.get $saBytes)))
        (local.set $pa1 (i32.add (local.get $a) (select (local.get $pa1) (local.get $last) (i32.le_s (local.get $pa1) (local.get $last)))))
        (local.set $pa2 (i32.add (local.get $a) (select (local.get $pa2) (local.get $last) (i32.le_s (local.get $pa2) (local.get $last)))))
        (local.set $pa3 (i32.add (local.get $a) (select (local.get $pa3) (local.get $last) (i32.le_s (local.get $pa3) (local.get $last)))))
        (local.set $pa0 (i32.add (local.get $a) (local.get $pa0)))
        (local.set $pb (local.get $panel))
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0))
        (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0))
        (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0))
        (local.set $c31 (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $k))
        (loop $depth
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $t (v128.load32_splat (local.get $pa0)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $t) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $t) (local.get $b1))))
          (local.set $t (v128.load32_splat (local.get $pa1)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $t) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $t) (local.get $b1))))
          (local.set $t (v128.load32_splat (local.get $pa2)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $t) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $t) (local.get $b1))))
          (local.set $t (v128.load32_splat (local.get $pa3)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $t) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $t) (local.get $b1))))
          (local.set $pa0 (i32.add (local.get $pa0) (local.get $spb)))
          (local.set $pa1 (i32.add (local.get $pa1) (local.get $spb)))
          (local.set $pa2 (i32.add (local.get $pa2) (local.get $spb)))
          (local.set $pa3 (i32.add (local.get $pa3) (local.get $spb)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (br_if $depth (local.get $p)))
        (local.set $offset (i32.add (i32.mul (local.get $i0) (local.get $nBytes)) (i32.shl (local.get $j0) (i32.const 2))))
        (if (local.get $bias)
          (then
            (local.set $b0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2)))))
            (local.set $b1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2)))))
            (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0)))
            (local.set $c01 (f32x4.add (local.get $c01) (local.get $b1)))
            (local.set $c10 (f32x4.add (local.get $c10) (local.get $b0)))
            (local.set $c11 (f32x4.add (local.get $c11) (local.get $b1)))
            (local.set $c20 (f32x4.add (local.get $c20) (local.get $b0)))
            (local.set $c21 (f32x4.add (local.get $c21) (local.get $b1)))
            (local.set $c30 (f32x4.add (local.get $c30) (local.get $b0)))
            (local.set $c31 (f32x4.add (local.get $c31) (local.get $b1)))))
        (call $store_tile (i32.add (local.get $c) (local.get $offset)) (local.get $nBytes) (local.get $rows) (local.get $w) (local.get $tmp)
          (local.get $c00) (local.get $c01) (local.get $c10) (local.get $c11)
          (local.get $c20) (local.get $c21) (local.get $c30) (local.get $c31))
        (if (local.get $act)
          (then
            (if (i32.eq (local.get $act) (i32.const 1))
              (then
                (local.set $t (v128.const i32x4 0 0 0 0))
                (local.set $c00 (f32x4.pmax (local.get $t) (local.get $c00)))
                (local.set $c01 (f32x4.pmax (local.get $t) (local.get $c01)))
                (local.set $c10 (f32x4.pmax (local.get $t) (local.get $c10)))
                (local.set $c11 (f32x4.pmax (local.get $t) (local.get $c11)))
                (local.set $c20 (f32x4.pmax (local.get $t) (local.get $c20)))
                (local.set $c21 (f32x4.pmax (local.get $t) (local.get $c21)))
                (local.set $c30 (f32x4.pmax (local.get $t) (local.get $c30)))
                (local.set $c31 (f32x4.pmax (local.get $t) (local.get $c31)))))
            (if (i32.eq (local.get $act) (i32.const 2))
              (then
                (local.set $c00 (call $leaky (local.get $c00) (local.get $slopes)))
                (local.set $c01 (call $leaky (local.get $c01) (local.get $slopes)))
                (local.set $c10 (call $leaky (local.get $c10) (local.get $slopes)))
                (local.set $c11 (call $leaky (local.get $c11) (local.get $slopes)))
                (local.set $c20 (call $leaky (local.get $c20) (local.get $slopes)))
                (local.set $c21 (call $leaky (local.get $c21) (local.get $slopes)))
                (local.set $c30 (call $leaky (local.get $c30) (local.get $slopes)))
                (local.set $c31 (call $leaky (local.get $c31) (local.get $slopes)))))
            (call $store_tile (i32.add (local.get $out) (local.get $offset)) (local.get $nBytes) (local.get $rows) (local.get $w) (local.get $tmp)
              (local.get $c00) (local.get $c01) (local.get $c10) (local.get $c11)
              (local.get $c20) (local.get $c21) (local.get $c30) (local.get $c31))))
        (local.set $i0 (i32.add (local.get $i0) (i32.const 4)))
        (br_if $blocks (i32.lt_s (local.get $i0) (local.get $m))))
      (local.set $panel (i32.add (local.get $panel) (local.get $panelBytes)))
      (local.set $j0 (i32.add (local.get $j0) (i32.const 8)))
      (br_if $panels (i32.lt_s (local.get $j0) (local.get $n)))))

  ;; Dense layer forward: z[rows×units] = x[rows×inputs]·w[inputs×units] + bias, and a = f(z) when act ≠ 0
  ;; (bias = 0 for none; otherwise ⌈units/8⌉·8 floats, zero-padded); slope is leaky relu's.
  (func (export "dense_forward") (param $x i32) (param $w i32) (param $bias i32) (param $z i32) (param $a i32)
                                 (param $rows i32) (param $inputs i32) (param $units i32) (param $act i32) (param $slope f32)
                                 (param $bp i32) (param $tmp i32)
    (call $pack_b (local.get $w) (local.get $inputs) (local.get $units) (local.get $bp))
    (call $gemm (local.get $x) (local.get $inputs) (i32.const 1) (local.get $bp) (local.get $z)
                (local.get $rows) (local.get $inputs) (local.get $units) (local.get $tmp)
                (local.get $bias) (local.get $act) (local.get $slope) (local.get $a)))

  ;; Dense layer backward from dz[rows×units]: gw = xᵀ·dz, gb = Σ_rows dz (when gb ≠ 0), dx = dz·wᵀ (when dx ≠ 0).
  (func (export "dense_backward") (param $x i32) (param $w i32) (param $dz i32) (param $gw i32) (param $gb i32) (param $dx i32)
                                  (param $rows i32) (param $inputs i32) (param $units i32)
                                  (param $bp i32) (param $tmp i32)
    (call $pack_b (local.get $dz) (local.get $rows) (local.get $units) (local.get $bp))
    (call $gemm (local.get $x) (i32.const 1) (local.get $inputs) (local.get $bp) (local.get $gw)
                (local.get $inputs) (local.get $rows) (local.get $units) (local.get $tmp)
                (i32.const 0) (i32.const 0) (f32.const 0) (i32.const 0))
    (if (local.get $gb) (then (call $sum_rows (local.get $dz) (local.get $gb) (local.get $rows) (local.get $units))))
    (if (local.get $dx)
      (then
        (call $pack_bt (local.get $w) (local.get $units) (local.get $inputs) (local.get $bp))
        (call $gemm (local.get $dz) (local.get $units) (i32.const 1) (local.get $bp) (local.get $dx)
                    (local.get $rows) (local.get $units) (local.get $inputs) (local.get $tmp)
                    (i32.const 0) (i32.const 0) (f32.const 0) (i32.const 0)))))

  ;; Plain SGD with L2: v[i] ← v[i] − lr·(g[i] + λ·v[i]) for i < n, in float32.
  (func (export "sgd") (param $v i32) (param $g i32) (param $n i32) (param $lr f32) (param $lambda f32)
    (local $end i32) (local $lrv v128) (local $lv v128) (local $x v128)
    (local.set $lrv (f32x4.splat (local.get $lr)))
    (local.set $lv (f32x4.splat (local.get $lambda)))
    (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectors_done
      (loop $vectors
        (br_if $vectors_done (i32.ge_u (local.get $v) (local.get $end)))
        (local.set $x (v128.load (local.get $v)))
        (v128.store (local.get $v)
          (f32x4.sub (local.get $x)
            (f32x4.mul (local.get $lrv)
              (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $lv) (local.get $x))))))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $vectors)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $scalars_done
      (loop $scalars
        (br_if $scalars_done (i32.ge_u (local.get $v) (local.get $end)))
        (f32.store (local.get $v)
          (f32.sub (f32.load (local.get $v))
            (f32.mul (local.get $lr)
              (f32.add (f32.load (local.get $g)) (f32.mul (local.get $lambda) (f32.load (local.get $v)))))))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (br $scalars))))

  ;; Activation backward for the activations the forward fuses: dz = da · f′(z) over n values, with f′ exactly
  ;; as the JavaScript writes it (relu: 1 or 0, leaky relu: 1 or slope, linear: 1), so da·0 keeps its sign.
  (func (export "act_backward") (param $act i32) (param $slope f32) (param $z i32) (param $da i32) (param $dz i32) (param $n i32)
    (local $end i32) (local $low v128)
    (local.set $low
      (select (v128.const f32x4 0 0 0 0)
              (select (f32x4.splat (local.get $slope)) (v128.const f32x4 1 1 1 1) (i32.eq (local.get $act) (i32.const 2)))
              (i32.eq (local.get $act) (i32.const 1))))
    ;; past the last whole vector the buffers have slack, and only n values are copied out
    (local.set $end (i32.add (local.get $dz) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $dz) (local.get $end)))
        (v128.store (local.get $dz)
          (f32x4.mul (v128.load (local.get $da))
            (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $low)
              (f32x4.gt (v128.load (local.get $z)) (v128.const f32x4 0 0 0 0)))))
        (local.set $z (i32.add (local.get $z) (i32.const 16)))
        (local.set $da (i32.add (local.get $da) (i32.const 16)))
        (local.set $dz (i32.add (local.get $dz) (i32.const 16)))
        (br $vectors))))

  ;; c + t·b in the micro-kernel's shape, lane 0: the fused module's answer differs from the plain one's only where
  ;; this processor really fuses (engine/kernels/wasm-kernels.ts fmaFusesHere).
  (func (export "madd_probe") (param $c f32) (param $t f32) (param $b f32) (result f32)
    (local $cv v128) (local $tv v128) (local $bv v128)
    (local.set $cv (f32x4.splat (local.get $c)))
    (local.set $tv (f32x4.splat (local.get $t)))
    (local.set $bv (f32x4.splat (local.get $b)))
    (f32x4.extract_lane 0 (f32x4.add (local.get $cv) (f32x4.mul (local.get $tv) (local.get $bv)))))
)
