// JavaScript bindings. Every entry point is synchronous: tfjs cpu kernels return their result
// immediately, and the work itself is spread over ganc's thread pool.
#include <napi.h>

#include "conv2d.h"
#include "elementwise.h"
#include "gemm.h"
#include "malloc_tuning.h"
#include "optimizer.h"
#include "thread_pool.h"

namespace {

float* floats(const Napi::Value& value) { return value.As<Napi::Float32Array>().Data(); }
int integer(const Napi::Value& value) { return value.As<Napi::Number>().Int32Value(); }

// gemm(transA, transB, m, n, k, a, b, c, batch, batchA, batchB): c[i] = op(a[i % batchA]) * op(b[i % batchB])
// for i < batch, matrices stored back to back, as tfjs's batchMatMul broadcasts.
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  const bool trans_a = info[0].As<Napi::Boolean>();
  const bool trans_b = info[1].As<Napi::Boolean>();
  const int m = integer(info[2]), n = integer(info[3]), k = integer(info[4]);
  const float* a = floats(info[5]);
  const float* b = floats(info[6]);
  float* c = floats(info[7]);
  const int batch = integer(info[8]), batch_a = integer(info[9]), batch_b = integer(info[10]);
  const long a_size = static_cast<long>(m) * k, b_size = static_cast<long>(k) * n, c_size = static_cast<long>(m) * n;
  auto one = [&](int i, bool parallel) {
    const ganc::GemmArgs args{trans_a, trans_b, m, n, k, a + (i % batch_a) * a_size, trans_a ? m : k,
                              b + (i % batch_b) * b_size, trans_b ? k : n, 0.0f, c + i * c_size, n};
    parallel ? ganc::sgemm(args) : ganc::sgemm_serial(args);
  };
  // Many small matrices: one per task. Few: each one over all threads.
  if (batch >= 2 * ganc::thread_count() && 2.0 * m * n * k < 1.0e7) {
    ganc::parallel_for(batch, [&](int i, int) { one(i, false); });
  } else {
    for (int i = 0; i < batch; ++i) one(i, true);
  }
  return info.Env().Undefined();
}

ganc::ConvGeometry geometry(const Napi::Value& value) {
  const int32_t* v = value.As<Napi::Int32Array>().Data();
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
}

// The three conv entry points take (geometry: Int32Array(13), input, input, output).
Napi::Value Conv2D(const Napi::CallbackInfo& info) {
  ganc::conv2d(geometry(info[0]), floats(info[1]), floats(info[2]), floats(info[3]));
  return info.Env().Undefined();
}

Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  ganc::conv2d_backprop_input(geometry(info[0]), floats(info[1]), floats(info[2]), floats(info[3]));
  return info.Env().Undefined();
}

Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  ganc::conv2d_backprop_filter(geometry(info[0]), floats(info[1]), floats(info[2]), floats(info[3]));
  return info.Env().Undefined();
}

const int32_t* ints(const Napi::Value& value) { return value.As<Napi::Int32Array>().Data(); }
int length(const Napi::Value& value) { return static_cast<int>(value.As<Napi::TypedArray>().ElementLength()); }

// binary(op, a, aShape, b, bShape, out, outShape): op indexes ganc::BinaryOp; shapes are Int32Arrays.
Napi::Value Binary(const Napi::CallbackInfo& info) {
  ganc::binary(static_cast<ganc::BinaryOp>(integer(info[0])), floats(info[1]), ints(info[2]), length(info[2]),
               floats(info[3]), ints(info[4]), length(info[4]), floats(info[5]), ints(info[6]), length(info[6]));
  return info.Env().Undefined();
}

// compare(op, a, aShape, b, bShape, out: Uint8Array, outShape): op indexes ganc::CompareOp.
Napi::Value Compare(const Napi::CallbackInfo& info) {
  ganc::compare(static_cast<ganc::CompareOp>(integer(info[0])), floats(info[1]), ints(info[2]), length(info[2]),
                floats(info[3]), ints(info[4]), length(info[4]), info[5].As<Napi::Uint8Array>().Data(), ints(info[6]),
                length(info[6]));
  return info.Env().Undefined();
}

// unary(op, x, out, alpha): op indexes ganc::UnaryOp.
Napi::Value Unary(const Napi::CallbackInfo& info) {
  ganc::unary(static_cast<ganc::UnaryOp>(integer(info[0])), floats(info[1]), floats(info[2]), length(info[1]),
              info[3].As<Napi::Number>().FloatValue());
  return info.Env().Undefined();
}

// select(condition: Uint8Array, a, b, out)
Napi::Value Select(const Napi::CallbackInfo& info) {
  ganc::select(info[0].As<Napi::Uint8Array>().Data(), floats(info[1]), floats(info[2]), floats(info[3]), length(info[3]));
  return info.Env().Undefined();
}

// reduceSum(x, outer, reduced, inner, scale, out)
Napi::Value ReduceSum(const Napi::CallbackInfo& info) {
  ganc::reduce_sum(floats(info[0]), integer(info[1]), integer(info[2]), integer(info[3]),
                   info[4].As<Napi::Number>().FloatValue(), floats(info[5]));
  return info.Env().Undefined();
}

// adam(param, m, v, grad, paramOut, mOut, vOut, lr, beta1, beta2, eps, step): one fused Adam update.
Napi::Value Adam(const Napi::CallbackInfo& info) {
  const ganc::AdamSettings settings{info[7].As<Napi::Number>().DoubleValue(), info[8].As<Napi::Number>().DoubleValue(),
                                    info[9].As<Napi::Number>().DoubleValue(), info[10].As<Napi::Number>().DoubleValue(),
                                    info[11].As<Napi::Number>().Int64Value()};
  ganc::adam_update(settings, floats(info[0]), floats(info[1]), floats(info[2]), floats(info[3]), floats(info[4]),
                    floats(info[5]), floats(info[6]), length(info[0]));
  return info.Env().Undefined();
}

// setBlas('openblas' | 'ganc') -> the name now in use ('ganc' when OpenBLAS could not be loaded).
Napi::Value SetBlas(const Napi::CallbackInfo& info) {
  const bool prefer_openblas = info[0].As<Napi::String>().Utf8Value() == "openblas";
  return Napi::String::New(info.Env(), ganc::set_blas(prefer_openblas));
}

Napi::Value Blas(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), ganc::blas_name()); }

Napi::Value Threads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), ganc::thread_count()); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  ganc::tune_malloc_for_large_tensors();
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("conv2d", Napi::Function::New(env, Conv2D));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2DBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2DBackpropFilter));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("compare", Napi::Function::New(env, Compare));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("select", Napi::Function::New(env, Select));
  exports.Set("reduceSum", Napi::Function::New(env, ReduceSum));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("setBlas", Napi::Function::New(env, SetBlas));
  exports.Set("blas", Napi::Function::New(env, Blas));
  exports.Set("threads", Napi::Function::New(env, Threads));
  return exports;
}

}  // namespace

NODE_API_MODULE(ganc_native, Init)
