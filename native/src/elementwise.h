// Elementwise and reduction kernels on float32: tfjs's cpu versions call a closure per element and,
// when shapes broadcast (every bias add, every x*scalar), compute a multi-index per element; these
// coalesce the broadcast into strided rows and run vectorised loops over the thread pool.
#pragma once

#include <cstdint>

namespace ganc {

enum class BinaryOp { kAdd, kSub, kMul, kDiv, kMax, kMin, kSquaredDifference };
enum class CompareOp { kGreater, kGreaterEqual, kLess, kLessEqual, kEqual, kNotEqual };
enum class UnaryOp { kNeg, kSquare, kSqrt, kRsqrt, kReciprocal, kAbs, kExp, kLog, kTanh, kSigmoid, kRelu, kLeakyRelu, kStep };

// Shapes are right-aligned and broadcast numpy-style into out_shape (rank <= 8).
void binary(BinaryOp op, const float* a, const int32_t* a_shape, int a_rank, const float* b, const int32_t* b_shape,
            int b_rank, float* out, const int32_t* out_shape, int out_rank);
void compare(CompareOp op, const float* a, const int32_t* a_shape, int a_rank, const float* b, const int32_t* b_shape,
             int b_rank, uint8_t* out, const int32_t* out_shape, int out_rank);
// alpha: LeakyRelu's slope, Step's value at x <= 0; unused otherwise.
void unary(UnaryOp op, const float* x, float* out, long size, float alpha);
// out[i] = condition[i] ? a[i] : b[i], all of one shape.
void select(const uint8_t* condition, const float* a, const float* b, float* out, long size);
// out[o, i] = scale * sum_r x[(o * reduced + r) * inner + i], accumulated in double.
void reduce_sum(const float* x, long outer, long reduced, long inner, float scale, float* out);

}  // namespace ganc
