// Elementwise and reduction kernels on float32: tfjs's cpu versions call a closure per element and,
// when shapes broadcast (every bias add, every x*scalar), compute a multi-index per element; these
// coalesce the broadcast into strided rows and run vectorised loops over the thread pool.
#pragma once

#include <cmath>
#include <cstdint>

namespace ganc {

// Each family's operations as X(enumerator, tfjs kernel name), in op-code order. The enums, the names
// and the addon's opCodes() table (which src/runtime/kernels/elementwise.ts routes kernels by) all come
// from these lists, so codes cannot drift apart between C++ and TypeScript.
#define GANC_BINARY_OPS(X)                                                                                     \
  X(kAdd, "Add") X(kSub, "Sub") X(kMul, "Multiply") X(kDiv, "RealDiv") X(kMax, "Maximum") X(kMin, "Minimum") \
  X(kSquaredDifference, "SquaredDifference")
#define GANC_COMPARE_OPS(X)                                                                               \
  X(kGreater, "Greater") X(kGreaterEqual, "GreaterEqual") X(kLess, "Less") X(kLessEqual, "LessEqual") \
  X(kEqual, "Equal") X(kNotEqual, "NotEqual")
#define GANC_UNARY_OPS(X)                                                                                         \
  X(kNeg, "Neg") X(kSquare, "Square") X(kSqrt, "Sqrt") X(kRsqrt, "Rsqrt") X(kReciprocal, "Reciprocal")         \
  X(kAbs, "Abs") X(kExp, "Exp") X(kLog, "Log") X(kTanh, "Tanh") X(kSigmoid, "Sigmoid") X(kRelu, "Relu")       \
  X(kLeakyRelu, "LeakyRelu") X(kStep, "Step") X(kOnesLike, "OnesLike") X(kZerosLike, "ZerosLike")

#define GANC_OP_ENUMERATOR(enumerator, name) enumerator,
#define GANC_OP_NAME(enumerator, name) name,
enum class BinaryOp { GANC_BINARY_OPS(GANC_OP_ENUMERATOR) };
enum class CompareOp { GANC_COMPARE_OPS(GANC_OP_ENUMERATOR) };
enum class UnaryOp { GANC_UNARY_OPS(GANC_OP_ENUMERATOR) };
// Names by op code; the array sizes are the number of codes in each family.
inline constexpr const char* kBinaryOpNames[] = {GANC_BINARY_OPS(GANC_OP_NAME)};
inline constexpr const char* kCompareOpNames[] = {GANC_COMPARE_OPS(GANC_OP_NAME)};
inline constexpr const char* kUnaryOpNames[] = {GANC_UNARY_OPS(GANC_OP_NAME)};
#undef GANC_OP_ENUMERATOR
#undef GANC_OP_NAME

// The Rsqrt kernel's value: 1 / sqrt(v) in double, rounded once (batch_norm.cc gives its statistics these bits).
inline float reciprocal_sqrt(float v) { return static_cast<float>(1.0 / std::sqrt(double{v})); }

// Shapes are right-aligned and broadcast numpy-style into out_shape (rank <= 8).
void binary(BinaryOp op, const float* a, const int32_t* a_shape, int a_rank, const float* b, const int32_t* b_shape,
            int b_rank, float* out, const int32_t* out_shape, int out_rank);
void compare(CompareOp op, const float* a, const int32_t* a_shape, int a_rank, const float* b, const int32_t* b_shape,
             int b_rank, uint8_t* out, const int32_t* out_shape, int out_rank);
// alpha: LeakyRelu's slope, Step's value at x <= 0; unused otherwise.
void unary(UnaryOp op, const float* x, float* out, long size, float alpha);
// out[i] = dy[i] * step(x[i], alpha): the gradient of relu / leakyRelu in one pass, the same floats as
// Multiply(dy, Step(x, alpha)).
void step_multiply(const float* dy, const float* x, float alpha, float* out, long size);
// out[i] = condition[i] ? a[i] : b[i], all of one shape.
void select(const uint8_t* condition, const float* a, const float* b, float* out, long size);
// How many tasks an elementwise pass over `elements` is split into (1 when small, else 1 to 4 per thread).
int tasks_for(long elements, bool transcendental = false);
// out[o, i] = scale * sum_r x[(o * reduced + r) * inner + i], accumulated in double.
void reduce_sum(const float* x, long outer, long reduced, long inner, float scale, float* out);

}  // namespace ganc
