// Structura's own CUDA kernels: the elementwise SPI routines, the resident transformer
// operations and the pairwise kernel product. Compiled to PTX (compute_80) by build-ptx.sh;
// launched by structura.backend.cuda.PtxKernels, whose argument lists must match these
// signatures exactly (int -> .u32, pointer -> .u64, float -> .f32, double -> .f64;
// PtxKernelsTest checks this against the packaged PTX).
//
// Conventions. Matrices are row-major with a leading dimension; pointers already include the
// caller's element offset; an optional operand is a null pointer. Row offsets are computed in
// 64 bits ((long long) i * ld), so m·ld may exceed 2^31. Every kernel uses grid-stride loops, so
// any grid the host picks (within the hardware limits) covers the whole problem.
//
// Precision. No --use_fast_math: expf/erfcf/powf are the accurate library versions (a few ulp),
// divisions and square roots are IEEE. Norm statistics are accumulated in double, exactly as the
// reference (ReferenceElementwise) does, so a row with a large mean loses nothing to
// cancellation. Softmax sums the exponentials in float (tree order, relative error ~log2(n)·u).

#include <cuda_runtime.h>
#include <math_constants.h>

#define FULL_MASK 0xffffffffu

// ---- reductions ---------------------------------------------------------------------------

__device__ __forceinline__ float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
  return v;
}

__device__ __forceinline__ float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
  return v;
}

__device__ __forceinline__ double warp_sum(double v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
  return v;
}

// ---- softmax of one row, one warp -----------------------------------------------------------
//
// z_j = alpha·x_j + mask_j for j < limit, rounded as the reference does (product, then sum; no
// fma contraction); columns j >= limit (causal exclusion) get weight exactly 0. The maximum is
// taken over the included z only, so it is one of them; an element equal to it gets weight
// exactly 1 instead of exp(max − max). With HuggingFace masks of −FLT_MAX a fully masked row
// has all z = −FLT_MAX (finite) and becomes uniform, as in the reference; a row whose z are all
// −inf (a mask added to a huge negative logit) also becomes uniform instead of NaN.

__device__ __forceinline__ float softmax_z(float alpha, float xv, const float* mask, int j) {
  return __fadd_rn(__fmul_rn(alpha, xv), mask ? mask[j] : 0.0f);
}

// Rows of up to 32·PER columns: the row is read once into registers and written once.
template <int PER>
__device__ void softmax_row_cached(float* x, int n, int limit, float alpha, const float* mask, int lane) {
  float z[PER];
  float mx = -CUDART_INF_F;
#pragma unroll
  for (int q = 0; q < PER; q++) {
    int j = lane + 32 * q;
    z[q] = 0.0f;
    if (j < limit) {
      z[q] = softmax_z(alpha, x[j], mask, j);
      mx = fmaxf(mx, z[q]);
    }
  }
  mx = warp_max(mx);
  float sum = 0.0f;
#pragma unroll
  for (int q = 0; q < PER; q++) {
    int j = lane + 32 * q;
    if (j < limit) {
      z[q] = z[q] == mx ? 1.0f : expf(z[q] - mx);
      sum += z[q];
    }
  }
  float inv = 1.0f / warp_sum(sum);
#pragma unroll
  for (int q = 0; q < PER; q++) {
    int j = lane + 32 * q;
    if (j < n) x[j] = j < limit ? z[q] * inv : 0.0f;
  }
}

// Any n: three strided passes over the row in global memory (the exponentials are parked in x).
__device__ void softmax_row_streamed(float* x, int n, int limit, float alpha, const float* mask, int lane) {
  float mx = -CUDART_INF_F;
  for (int j = lane; j < limit; j += 32) mx = fmaxf(mx, softmax_z(alpha, x[j], mask, j));
  mx = warp_max(mx);
  float sum = 0.0f;
  for (int j = lane; j < limit; j += 32) {
    float z = softmax_z(alpha, x[j], mask, j);
    float e = z == mx ? 1.0f : expf(z - mx);
    x[j] = e;
    sum += e;
  }
  float inv = 1.0f / warp_sum(sum);
  for (int j = lane; j < n; j += 32) x[j] = j < limit ? x[j] * inv : 0.0f;
}

__device__ __forceinline__ void softmax_row(float* x, int n, int limit, float alpha, const float* mask, int lane) {
  // the branch is uniform over the warp (n is a kernel argument)
  if (n <= 128) {
    softmax_row_cached<4>(x, n, limit, alpha, mask, lane);
  } else if (n <= 512) {
    softmax_row_cached<16>(x, n, limit, alpha, mask, lane);
  } else if (n <= 1024) {
    softmax_row_cached<32>(x, n, limit, alpha, mask, lane);
  } else {
    softmax_row_streamed(x, n, limit, alpha, mask, lane);
  }
}

// One warp per row: the warp index over the whole grid, striding by the grid's warp count.
#define FOR_EACH_WARP_ROW(row, rows)                                                              \
  for (long long row = ((long long)blockIdx.x * blockDim.x + threadIdx.x) / 32; row < (rows);   \
       row += ((long long)gridDim.x * blockDim.x) / 32)

// x (m × n, ld) ← softmax_rows(alpha·x + mask); mask (ldMask, 0 broadcasts row 0) may be null.
// Launch: blockDim.x a multiple of 32; one warp per row.
extern "C" __global__ void softmax_rows_f32(int m, int n, float alpha, float* x, int ld, const float* mask,
                                            int ldMask) {
  int lane = threadIdx.x & 31;
  FOR_EACH_WARP_ROW(row, m) {
    const float* mrow = mask ? mask + row * ldMask : nullptr;
    softmax_row(x + row * ld, n, n, alpha, mrow, lane);
  }
}

// Attention scores (batch·heads·queries rows of keys, contiguous): row r = (b, h, t) becomes
// softmax_j(alpha·s_j + keyMask[b·keys + j]) over j < keys, or over j ≤ t when causal != 0
// (the other weights exactly 0). keyMask (batch × keys) may be null.
// Launch: blockDim.x a multiple of 32; one warp per row.
extern "C" __global__ void attention_softmax_f32(int batch, int heads, int queries, int keys, float alpha,
                                                 float* scores, const float* keyMask, int causal) {
  int lane = threadIdx.x & 31;
  long long perSequence = (long long)heads * queries;
  long long rows = (long long)batch * perSequence;
  FOR_EACH_WARP_ROW(row, rows) {
    long long b = row / perSequence;
    int t = (int)(row % queries);
    int limit = causal ? min(t + 1, keys) : keys;
    const float* mrow = keyMask ? keyMask + b * keys : nullptr;
    softmax_row(scores + row * keys, keys, limit, alpha, mrow, lane);
  }
}

// ---- LayerNorm / RMSNorm of one row, one warp -----------------------------------------------
//
// x ← (x − μ)·inv·gamma + beta with inv = 1/√(σ² + eps) (biased variance), or for RMSNorm
// x ← x·inv·gamma with inv = 1/√(mean(x²) + eps). Two passes (mean, then centred squares), all
// in double as in the reference.

template <int PER>
__device__ void norm_row_cached(float* x, int n, const float* gamma, const float* beta, float eps, bool rms,
                                int lane) {
  float v[PER];
  double s = 0.0;
#pragma unroll
  for (int q = 0; q < PER; q++) {
    int j = lane + 32 * q;
    v[q] = 0.0f;
    if (j < n) {
      v[q] = x[j];
      s += v[q];
    }
  }
  double mean = rms ? 0.0 : warp_sum(s) / n;
  double ss = 0.0;
#pragma unroll
  for (int q = 0; q < PER; q++) {
    int j = lane + 32 * q;
    if (j < n) {
      double c = v[q] - mean;
      ss += c * c;
    }
  }
  double inv = 1.0 / sqrt(warp_sum(ss) / n + (double)eps);
#pragma unroll
  for (int q = 0; q < PER; q++) {
    int j = lane + 32 * q;
    if (j < n) {
      double out = (v[q] - mean) * inv * gamma[j];
      if (beta) out += beta[j];
      x[j] = (float)out;
    }
  }
}

__device__ void norm_row_streamed(float* x, int n, const float* gamma, const float* beta, float eps, bool rms,
                                  int lane) {
  double s = 0.0;
  if (!rms) {
    for (int j = lane; j < n; j += 32) s += x[j];
  }
  double mean = rms ? 0.0 : warp_sum(s) / n;
  double ss = 0.0;
  for (int j = lane; j < n; j += 32) {
    double c = x[j] - mean;
    ss += c * c;
  }
  double inv = 1.0 / sqrt(warp_sum(ss) / n + (double)eps);
  for (int j = lane; j < n; j += 32) {
    double out = (x[j] - mean) * inv * gamma[j];
    if (beta) out += beta[j];
    x[j] = (float)out;
  }
}

__device__ __forceinline__ void norm_row(float* x, int n, const float* gamma, const float* beta, float eps, bool rms,
                                         int lane) {
  if (n <= 128) {
    norm_row_cached<4>(x, n, gamma, beta, eps, rms, lane);
  } else if (n <= 512) {
    norm_row_cached<16>(x, n, gamma, beta, eps, rms, lane);
  } else if (n <= 1024) {
    norm_row_cached<32>(x, n, gamma, beta, eps, rms, lane);
  } else {
    norm_row_streamed(x, n, gamma, beta, eps, rms, lane);
  }
}

// LayerNorm of each row of x (m × n, ld); beta may be null. Launch: one warp per row.
extern "C" __global__ void layer_norm_f32(int m, int n, float* x, int ld, const float* gamma, const float* beta,
                                          float eps) {
  int lane = threadIdx.x & 31;
  FOR_EACH_WARP_ROW(row, m) { norm_row(x + row * ld, n, gamma, beta, eps, false, lane); }
}

// RMSNorm of each row of x (m × n, ld). Launch: one warp per row.
extern "C" __global__ void rms_norm_f32(int m, int n, float* x, int ld, const float* gamma, float eps) {
  int lane = threadIdx.x & 31;
  FOR_EACH_WARP_ROW(row, m) { norm_row(x + row * ld, n, gamma, nullptr, eps, true, lane); }
}

// ---- elementwise on an m × n block -----------------------------------------------------------
//
// One thread per element of the flattened block (row-major), grid-stride; the 64-bit division
// is replaced by a 32-bit one whenever m·n < 2^32 (every transformer shape).

template <typename F>
__device__ __forceinline__ void for_each_element(int m, int n, F f) {
  unsigned long long total = (unsigned long long)m * (unsigned long long)n;
  unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
  bool narrow = total <= 0xffffffffull;
  for (unsigned long long e = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; e < total; e += stride) {
    long long i;
    int j;
    if (narrow) {
      unsigned q = (unsigned)e / (unsigned)n;
      i = q;
      j = (int)((unsigned)e - q * (unsigned)n);
    } else {
      i = (long long)(e / (unsigned long long)n);
      j = (int)(e - (unsigned long long)i * n);
    }
    f(i, j);
  }
}

// x ← x/2·(1 + erf(x/√2)), written as x/2·erfc(−x/√2) which keeps its relative accuracy for
// negative x (no 1 + erf cancellation).
extern "C" __global__ void gelu_f32(int m, int n, float* x, int ld) {
  for_each_element(m, n, [=](long long i, int j) {
    float v = x[i * ld + j];
    x[i * ld + j] = 0.5f * v * erfcf(-v * 0.70710678118654752f);
  });
}

// x ← x·σ(x) = x/(1 + e^−x); for x → −∞ the denominator overflows to +∞ and the result is −0.
extern "C" __global__ void silu_f32(int m, int n, float* x, int ld) {
  for_each_element(m, n, [=](long long i, int j) {
    float v = x[i * ld + j];
    x[i * ld + j] = v / (1.0f + expf(-v));
  });
}

// gate ← silu(gate) ∘ up; up is only read.
extern "C" __global__ void swiglu_f32(int m, int n, float* gate, int ldGate, const float* up, int ldUp) {
  for_each_element(m, n, [=](long long i, int j) {
    float v = gate[i * ldGate + j];
    gate[i * ldGate + j] = v / (1.0f + expf(-v)) * up[i * ldUp + j];
  });
}

// x_ij ← x_ij + v_j.
extern "C" __global__ void add_row_vector_f32(int m, int n, const float* v, float* x, int ld) {
  for_each_element(m, n, [=](long long i, int j) { x[i * ld + j] += v[j]; });
}

// out_i ← table_{indices[i]} (accumulate == 0) or out_i += table_{indices[i]}, rows of width
// floats; indices (rows int32, validated by the host) are in range.
extern "C" __global__ void gather_rows_f32(int rows, int width, const float* table, int ldTable, const int* indices,
                                           float* out, int ldOut, int accumulate) {
  for_each_element(rows, width, [=](long long i, int j) {
    float t = table[(long long)indices[i] * ldTable + j];
    if (accumulate) {
      out[i * ldOut + j] += t;
    } else {
      out[i * ldOut + j] = t;
    }
  });
}

// dst_ij ← (double) src_ij (exact).
extern "C" __global__ void widen_f32_to_f64(int m, int n, const float* src, int ldSrc, double* dst, int ldDst) {
  for_each_element(m, n, [=](long long i, int j) { dst[i * ldDst + j] = (double)src[i * ldSrc + j]; });
}

// ---- pairwise kernel product -----------------------------------------------------------------
//
// O ← σ²·(K̃(X, Y)·V) + beta·O with K̃_ij = κ(‖x_i − y_j‖²)/σ², X m × d, Y n × d, V n × k,
// O m × k. A block of blockDim.x = SLICES·T threads serves T target rows and KCOLS consecutive
// columns of O: thread (slice s, target t) sums the sources j ≡ s (mod SLICES) for row
// i = rowBase + t, and the SLICES partial sums of a row are added in slice order through shared
// memory at the end (deterministic). Splitting the sources gives SLICES times more threads than
// targets, which a GPU needs to hide the latency of exp and the dependent multiply-adds when m is
// only tens of thousands. The block's threads walk the sources together, a tile of Y rows and V
// columns at a time staged in dynamic shared memory (tile rows × (d + KCOLS) elements; tile == 0
// means one row would not fit and Y, V are read from global memory, where the block's identical
// addresses broadcast); after the tile comes the reduction area, SLICES·T·KCOLS elements.
// Targets with d ≤ XREG are held in registers. Sums run in the working precision from exact
// differences (no ‖x‖² + ‖y‖² − 2x·y cancellation). Only O is written, and with beta == 0 it
// is not read.

#define SLICES 4
#define KCOLS 4
#define XREG 16

// Kind codes, as PtxKernels.kindCode maps RadialKernel.Kind (MATERN_12 is EXPONENTIAL).
#define KIND_GAUSSIAN 0
#define KIND_EXPONENTIAL 1
#define KIND_MATERN_32 2
#define KIND_MATERN_52 3
#define KIND_RATIONAL_QUADRATIC 4
#define KIND_CAUCHY 5
#define KIND_LAPLACE 6

__device__ __forceinline__ float k_exp(float v) { return expf(v); }
__device__ __forceinline__ double k_exp(double v) { return exp(v); }
__device__ __forceinline__ float k_sqrt(float v) { return sqrtf(v); }
__device__ __forceinline__ double k_sqrt(double v) { return sqrt(v); }
__device__ __forceinline__ float k_pow(float b, float e) { return powf(b, e); }
__device__ __forceinline__ double k_pow(double b, double e) { return pow(b, e); }

// κ(r)/σ² at r² = r2; LAPLACE is exactly 0 at r = 0.
template <typename T>
__device__ __forceinline__ T radial(int kind, T r2, T shape) {
  switch (kind) {
    case KIND_GAUSSIAN:
      return k_exp(T(-0.5) * r2);
    case KIND_EXPONENTIAL:
      return k_exp(-k_sqrt(r2));
    case KIND_MATERN_32: {
      T s = k_sqrt(T(3) * r2);
      return (T(1) + s) * k_exp(-s);
    }
    case KIND_MATERN_52: {
      T s = k_sqrt(T(5) * r2);
      return (T(1) + s + s * s / T(3)) * k_exp(-s);
    }
    case KIND_RATIONAL_QUADRATIC:
      return k_pow(T(1) + r2 / (T(2) * shape), -shape);
    case KIND_CAUCHY:
      return T(1) / (T(1) + r2);
    default:  // KIND_LAPLACE
      return r2 > T(0) ? T(1) / k_sqrt(r2) : T(0);
  }
}

template <typename T>
__device__ __forceinline__ T squared_distance(const T* xr, const T* xi, bool inRegisters, const T* yj, int d) {
  T r2 = T(0);
  if (inRegisters) {
#pragma unroll
    for (int t = 0; t < XREG; t++) {
      if (t < d) {
        T e = xr[t] - yj[t];
        r2 += e * e;
      }
    }
  } else {
    for (int t = 0; t < d; t++) {
      T e = xi[t] - yj[t];
      r2 += e * e;
    }
  }
  return r2;
}

template <typename T>
__device__ void kernel_multiply(int kind, T variance, T shape, int m, int n, int d, int k, const T* x, int ldx,
                                const T* y, int ldy, const T* v, int ldv, T beta, T* o, int ldo, int tile) {
  extern __shared__ __align__(16) unsigned char shared_bytes[];
  T* ys = reinterpret_cast<T*>(shared_bytes);  // tile × d
  T* vs = ys + (long long)tile * d;            // tile × KCOLS
  T* partial = vs + (long long)tile * KCOLS;   // SLICES × targets × KCOLS
  int targets = blockDim.x / SLICES;
  int target = threadIdx.x % targets;
  int slice = threadIdx.x / targets;
  bool inRegisters = d <= XREG;
  for (long long rowBase = (long long)blockIdx.x * targets; rowBase < m; rowBase += (long long)gridDim.x * targets) {
    long long i = rowBase + target;
    bool active = i < m;
    const T* xi = x + (active ? i : 0) * (long long)ldx;
    T xr[XREG];
#pragma unroll
    for (int t = 0; t < XREG; t++) xr[t] = (inRegisters && t < d) ? xi[t] : T(0);
    for (long long c0 = (long long)blockIdx.y * KCOLS; c0 < k; c0 += (long long)gridDim.y * KCOLS) {
      int nc = (int)min((long long)KCOLS, k - c0);
      T acc[KCOLS];
#pragma unroll
      for (int c = 0; c < KCOLS; c++) acc[c] = T(0);
      if (tile > 0) {
        for (int j0 = 0; j0 < n; j0 += tile) {
          int tn = min(tile, n - j0);
          __syncthreads();  // the previous tile has been consumed by every thread
          for (int e = threadIdx.x; e < tn * d; e += blockDim.x) {
            int jj = e / d;
            ys[e] = y[(long long)(j0 + jj) * ldy + (e - jj * d)];
          }
          for (int e = threadIdx.x; e < tn * KCOLS; e += blockDim.x) {
            int jj = e / KCOLS;
            int c = e - jj * KCOLS;
            vs[e] = c < nc ? v[(long long)(j0 + jj) * ldv + c0 + c] : T(0);
          }
          __syncthreads();
          if (active) {
            for (int jj = slice; jj < tn; jj += SLICES) {
              T kij = radial<T>(kind, squared_distance<T>(xr, xi, inRegisters, ys + jj * d, d), shape);
#pragma unroll
              for (int c = 0; c < KCOLS; c++) acc[c] += kij * vs[jj * KCOLS + c];
            }
          }
        }
      } else if (active) {
        for (int j = slice; j < n; j += SLICES) {
          T kij = radial<T>(kind, squared_distance<T>(xr, xi, inRegisters, y + (long long)j * ldy, d), shape);
          const T* vj = v + (long long)j * ldv + c0;
#pragma unroll
          for (int c = 0; c < KCOLS; c++) {
            if (c < nc) acc[c] += kij * vj[c];
          }
        }
      }
#pragma unroll
      for (int c = 0; c < KCOLS; c++) partial[(slice * targets + target) * KCOLS + c] = acc[c];
      __syncthreads();  // every slice's partial sums are in shared memory
      if (active && slice == 0) {
        T* oi = o + i * ldo + c0;
#pragma unroll
        for (int c = 0; c < KCOLS; c++) {
          if (c < nc) {
            T sum = partial[target * KCOLS + c];
            for (int s = 1; s < SLICES; s++) sum += partial[(s * targets + target) * KCOLS + c];
            T value = variance * sum;
            if (beta != T(0)) value += beta * oi[c];
            oi[c] = value;
          }
        }
      }
      __syncthreads();  // the partial sums have been read before the next columns overwrite them
    }
  }
}

// O ← K(X, Y)·V + beta·O in F32. kind: a KIND_* code; tile: source rows per shared-memory tile,
// 0 to read Y and V from global memory. Launch: 1-D blocks of a multiple of SLICES threads
// (blockDim.x / SLICES target rows each) along x, gridDim.y over blocks of KCOLS columns of O,
// dynamic shared memory (tile·(d + KCOLS) + blockDim.x·KCOLS)·4 bytes.
extern "C" __global__ void kernel_multiply_f32(int kind, float variance, float shape, int m, int n, int d, int k,
                                               const float* x, int ldx, const float* y, int ldy, const float* v,
                                               int ldv, float beta, float* o, int ldo, int tile) {
  kernel_multiply<float>(kind, variance, shape, m, n, d, k, x, ldx, y, ldy, v, ldv, beta, o, ldo, tile);
}

// O ← K(X, Y)·V + beta·O in F64; as kernel_multiply_f32 with (tile·(d + KCOLS) + blockDim.x·KCOLS)·8 bytes.
extern "C" __global__ void kernel_multiply_f64(int kind, double variance, double shape, int m, int n, int d, int k,
                                               const double* x, int ldx, const double* y, int ldy, const double* v,
                                               int ldv, double beta, double* o, int ldo, int tile) {
  kernel_multiply<double>(kind, variance, shape, m, n, d, k, x, ldx, y, ldy, v, ldv, beta, o, ldo, tile);
}
