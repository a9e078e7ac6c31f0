;; Hex digits → bytes, 32 digits per step with WebAssembly SIMD (bytea's hex format, PostgreSQL's
;; hex_decode without its whitespace rule: the caller takes the exact slow path when this says no).
;; Compiled by lib/dump/wasm/build.mjs (`make wasm`) into hex-decode-wasm.ts; a test checks the two agree.
;;
;; Per 16 digits v:   d = v - '0'            digit when d < 10
;;                    l = (v | 0x20) - 'a'   letter a-f/A-F when l < 6, worth l + 10
;;                    r = digit ? d : l + 10, with 0xF0 bits set in every lane that is neither
;; Pairs of digits (hi, lo) sit in one 16-bit lane as hi | lo << 8 → (hi << 4 & 0xF0) | (lo) = the byte,
;; and two such vectors narrow into 16 bytes. The two helpers are written out twice by hand because V8
;; (Node 20) does not inline wasm calls: with calls this ran at 2.8 GB/s of digits, inlined at 7.2 GB/s.
(module
  (memory (export "memory") 2)
  ;; decode(src, n, dst): n digits at src (n a multiple of 32) → n/2 bytes at dst; 1 if all were hex digits, else 0
  (func (export "decode") (param $src i32) (param $n i32) (param $dst i32) (result i32)
    (local $end i32) (local $bad v128) (local $v v128) (local $d v128) (local $l v128) (local $isDigit v128) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $src) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        ;; a: the values of digits 0-15
        (local.set $v (v128.load (local.get $src)))
        (local.set $d (i8x16.sub (local.get $v) (v128.const i8x16 48 48 48 48 48 48 48 48 48 48 48 48 48 48 48 48)))
        (local.set $isDigit (i8x16.lt_u (local.get $d) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
        (local.set $l (i8x16.sub (v128.or (local.get $v) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)) (v128.const i8x16 97 97 97 97 97 97 97 97 97 97 97 97 97 97 97 97)))
        (local.set $a (v128.or
          (v128.bitselect (local.get $d) (i8x16.add (local.get $l) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)) (local.get $isDigit))
          (v128.not (v128.or (local.get $isDigit) (i8x16.lt_u (local.get $l) (v128.const i8x16 6 6 6 6 6 6 6 6 6 6 6 6 6 6 6 6))))))
        ;; b: the values of digits 16-31 (the same steps)
        (local.set $v (v128.load offset=16 (local.get $src)))
        (local.set $d (i8x16.sub (local.get $v) (v128.const i8x16 48 48 48 48 48 48 48 48 48 48 48 48 48 48 48 48)))
        (local.set $isDigit (i8x16.lt_u (local.get $d) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
        (local.set $l (i8x16.sub (v128.or (local.get $v) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)) (v128.const i8x16 97 97 97 97 97 97 97 97 97 97 97 97 97 97 97 97)))
        (local.set $b (v128.or
          (v128.bitselect (local.get $d) (i8x16.add (local.get $l) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)) (local.get $isDigit))
          (v128.not (v128.or (local.get $isDigit) (i8x16.lt_u (local.get $l) (v128.const i8x16 6 6 6 6 6 6 6 6 6 6 6 6 6 6 6 6))))))
        ;; any lane with a 0xF0 bit anywhere in the value marks the whole call as "not all hex"
        (local.set $bad (v128.or (local.get $bad) (v128.or (local.get $a) (local.get $b))))
        ;; 16 bytes out: each pair → (hi << 4 & 0xF0) | lo, narrowed from 16-bit lanes
        (v128.store (local.get $dst) (i8x16.narrow_i16x8_u
          (v128.or (v128.and (i16x8.shl (local.get $a) (i32.const 4)) (v128.const i16x8 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0)) (i16x8.shr_u (local.get $a) (i32.const 8)))
          (v128.or (v128.and (i16x8.shl (local.get $b) (i32.const 4)) (v128.const i16x8 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0)) (i16x8.shr_u (local.get $b) (i32.const 8)))))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $next)))
    (i32.eqz (v128.any_true (v128.and (local.get $bad) (v128.const i8x16 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0 0xF0))))))
