// JavaScript bindings. Every entry reads its arguments through ganc::Arguments (arguments.h) and checks buffer
// lengths against the sizes the other arguments imply, so a bad call throws in JavaScript instead of touching
// memory; then it submits the kernel (thread_pool.h). By default it waits for the kernel, so a call returns
// with its outputs written. After setDeferred(true) (the ganc backend's choice) it returns at once and the
// kernels run in call order while JavaScript goes on; whatever reads an output in JavaScript calls join()
// first (src/runtime/kernels/index.ts says where).
#include <napi.h>

#include <deque>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "arguments.h"
#include "batch_norm.h"
#include "conv2d.h"
#include "elementwise.h"
#include "gemm.h"
#include "malloc_tuning.h"
#include "optimizer.h"
#include "thread_pool.h"

namespace {

using ganc::Arguments;
using ganc::product;

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

// Deferred kernels and the JavaScript arrays each one reads or writes, held until it has run so that the
// garbage collector cannot free them under it. Touched on the JavaScript thread only.
bool deferred = false;
std::deque<std::pair<unsigned long, std::vector<Napi::Reference<Napi::Value>>>> held;

void release_finished() {
  const unsigned long finished = ganc::finished_kernels();
  while (!held.empty() && held.front().first <= finished) held.pop_front();
}

// Runs `kernel` (which reads only the argument arrays and values it captured) as the next submitted kernel.
void dispatch(const Napi::CallbackInfo& info, std::function<void()> kernel) {
  release_finished();
  if (!deferred || ganc::thread_count() == 1) {  // on one thread, submit() runs it at once
    ganc::submit(std::move(kernel));
    ganc::join();
    return;
  }
  std::vector<Napi::Reference<Napi::Value>> arrays;
  for (size_t i = 0; i < info.Length(); ++i) {
    if (info[i].IsObject()) arrays.push_back(Napi::Persistent(info[i]));
  }
  held.emplace_back(ganc::submit(std::move(kernel)), std::move(arrays));
}

// gemm(transA, transB, m, n, k, a, b, c, batch, batchA, batchB): c[i] = op(a[i % batchA]) * op(b[i % batchB])
// for i < batch, matrices stored back to back, as tfjs's batchMatMul broadcasts.
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Arguments args(info, "gemm", 11);
  const bool trans_a = args.boolean(0, "transA");
  const bool trans_b = args.boolean(1, "transB");
  const int m = args.integer(2, "m", 0), n = args.integer(3, "n", 0), k = args.integer(4, "k", 0);
  const auto a = args.floats(5, "a"), b = args.floats(6, "b"), c = args.floats(7, "c");
  const int batch = args.integer(8, "batch", 0);
  // Indexed modulo, so at least 1 whenever there is a product to compute.
  const int batch_a = args.integer(9, "batchA", batch > 0 ? 1 : 0), batch_b = args.integer(10, "batchB", batch > 0 ? 1 : 0);
  const long a_size = static_cast<long>(m) * k, b_size = static_cast<long>(k) * n, c_size = static_cast<long>(m) * n;
  args.need(5, "a", a.length, product({batch_a, m, k}), "floats");
  args.need(6, "b", b.length, product({batch_b, k, n}), "floats");
  args.need(7, "c", c.length, product({batch, m, n}), "floats");
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=, a = a.data, b = b.data, c = c.data] {
    auto one = [&](int i, bool parallel) {
      const ganc::GemmArgs gemm{trans_a, trans_b, m, n, k, a + (i % batch_a) * a_size, trans_a ? m : k,
                                b + (i % batch_b) * b_size, trans_b ? k : n, 0.0f, c + i * c_size, n};
      parallel ? ganc::sgemm(gemm) : ganc::sgemm_serial(gemm);
    };
    // Many small matrices: one per task. Few: each one over all threads.
    if (batch >= 2 * ganc::thread_count() && 2.0 * m * n * k < 1.0e7) {
      ganc::parallel_for(batch, [&](int i, int) { one(i, false); });
    } else {
      for (int i = 0; i < batch; ++i) one(i, true);
    }
  });
  return info.Env().Undefined();
}

// The three conv entry points take (geometry: Int32Array(13), input, input, output) in ConvGeometry's
// field order; `buffers` names the three Float32Arrays in argument order and the tensor each must hold.
enum class ConvTensor { kInput, kFilter, kOutput };
struct ConvBuffer {
  const char* name;
  ConvTensor tensor;
};

// with_bias: conv2dBias, whose argument 4 is the bias (outChannels floats) and argument 5 the output.
Napi::Value Conv(const Napi::CallbackInfo& info, const char* entry, const ConvBuffer (&buffers)[3],
                 void (*kernel)(const ganc::ConvGeometry&, const float*, const float*, float*), bool with_bias = false) {
  Arguments args(info, entry, with_bias ? 7 : 4);
  const auto v = args.ints(0, "geometry");
  if (args.ok() && v.length != 13) args.range_error("argument 1 (geometry) must hold 13 ints, holds " + std::to_string(v.length));
  if (!args.ok()) return info.Env().Undefined();
  const ganc::ConvGeometry g{v.data[0], v.data[1], v.data[2], v.data[3], v.data[4],  v.data[5], v.data[6],
                             v.data[7], v.data[8], v.data[9], v.data[10], v.data[11], v.data[12]};
  const char* fields[] = {"batch", "inHeight", "inWidth", "inChannels", "filterHeight", "filterWidth", "outChannels",
                          "outHeight", "outWidth", "strideHeight", "strideWidth", "padTop", "padLeft"};
  for (int i = 0; i < 13; ++i) {
    const int min = i == 9 || i == 10 ? 1 : 0;  // strides >= 1, sizes and paddings >= 0
    if (v.data[i] < min) {
      args.range_error("argument 1 (geometry) field " + std::to_string(i) + " (" + fields[i] + ") must be >= " +
                       std::to_string(min) + ", got " + std::to_string(v.data[i]));
      return info.Env().Undefined();
    }
  }
  // The kernels index pixels, rows and patches in int.
  const int64_t rows = product({g.batch, g.out_h, g.out_w}), patch = product({g.filter_h, g.filter_w, g.in_c});
  const bool reach_fits = product({g.out_h, g.stride_h}) <= kIntMax - g.filter_h && product({g.out_w, g.stride_w}) <= kIntMax - g.filter_w;
  if (rows > kIntMax || patch > kIntMax || !reach_fits) {
    args.range_error("geometry too large (output pixels, filter patch or strided extent over 2^31)");
    return info.Env().Undefined();
  }
  const int64_t sizes[] = {product({g.batch, g.in_h, g.in_w, g.in_c}), product({patch, g.out_c}), product({rows, g.out_c})};
  const float* in[2] = {nullptr, nullptr};
  float* out = nullptr;
  const float* bias = nullptr;
  if (with_bias) {
    const auto buffer = args.floats(3, "bias");
    args.need(3, "bias", buffer.length, g.out_c, "floats");
    bias = buffer.data;
  }
  for (int i = 0; i < 3; ++i) {
    const int index = i == 2 && with_bias ? 4 : i + 1;
    const auto buffer = args.floats(index, buffers[i].name);
    args.need(index, buffers[i].name, buffer.length, sizes[static_cast<int>(buffers[i].tensor)], "floats");
    if (i < 2) in[i] = buffer.data; else out = buffer.data;
  }
  if (!args.ok()) return info.Env().Undefined();
  ganc::ConvActivation act;
  if (with_bias) {
    act.leaky = args.integer(5, "activation", 0, 1) == 1;
    act.alpha = static_cast<float>(args.number(6, "alpha"));
  }
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] {
    if (with_bias) {
      ganc::conv2d(g, in[0], in[1], out, bias, act);
    } else {
      kernel(g, in[0], in[1], out);
    }
  });
  return info.Env().Undefined();
}

Napi::Value Conv2D(const Napi::CallbackInfo& info) {
  static const ConvBuffer buffers[3] = {{"x", ConvTensor::kInput}, {"filter", ConvTensor::kFilter}, {"y", ConvTensor::kOutput}};
  return Conv(info, "conv2d", buffers, [](const ganc::ConvGeometry& g, const float* x, const float* w, float* y) { ganc::conv2d(g, x, w, y); });
}

// conv2dBias(geometry, x, filter, bias, y, activation, alpha): y = conv2d(x, filter) + bias, the bias added while y is
// in cache, then (activation 1) leakyRelu(., alpha) as the LeakyRelu kernel computes it; activation 0: none.
Napi::Value Conv2DBias(const Napi::CallbackInfo& info) {
  static const ConvBuffer buffers[3] = {{"x", ConvTensor::kInput}, {"filter", ConvTensor::kFilter}, {"y", ConvTensor::kOutput}};
  return Conv(info, "conv2dBias", buffers, nullptr, true);
}

Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  static const ConvBuffer buffers[3] = {{"dy", ConvTensor::kOutput}, {"filter", ConvTensor::kFilter}, {"dx", ConvTensor::kInput}};
  return Conv(info, "conv2dBackpropInput", buffers, ganc::conv2d_backprop_input);
}

Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  static const ConvBuffer buffers[3] = {{"x", ConvTensor::kInput}, {"dy", ConvTensor::kOutput}, {"dw", ConvTensor::kFilter}};
  return Conv(info, "conv2dBackpropFilter", buffers, ganc::conv2d_backprop_filter);
}

// Shapes of a broadcasting op: outShape at most rank 8 (elementwise.cc's plan arrays), aShape and bShape
// no longer, each of their dimensions equal to the output's (right-aligned) or 1.
struct BroadcastShapes {
  ganc::Buffer<const int32_t> a, b, out;
};

std::string shape_text(const ganc::Buffer<const int32_t>& shape) {
  std::string text = "[";
  for (int64_t d = 0; d < shape.length; ++d) text += (d ? "," : "") + std::to_string(shape.data[d]);
  return text + "]";
}

BroadcastShapes broadcast_shapes(Arguments& args, size_t a_index, size_t b_index, size_t out_index) {
  constexpr int64_t kMaxRank = 8;
  BroadcastShapes shapes{args.ints(a_index, "aShape"), args.ints(b_index, "bShape"), args.ints(out_index, "outShape")};
  if (!args.ok()) return shapes;
  const std::string out_label = "argument " + std::to_string(out_index + 1) + " (outShape) " + shape_text(shapes.out);
  if (shapes.out.length > kMaxRank) args.range_error(out_label + " has rank over 8");
  for (int64_t d = 0; args.ok() && d < shapes.out.length; ++d) {
    if (shapes.out.data[d] < 0) args.range_error(out_label + " has a negative dimension");
  }
  const std::pair<size_t, const char*> operands[] = {{a_index, "aShape"}, {b_index, "bShape"}};
  for (const auto& [index, name] : operands) {
    const auto& shape = index == a_index ? shapes.a : shapes.b;
    bool broadcasts = shape.length <= shapes.out.length;
    for (int64_t d = 0; broadcasts && d < shape.length; ++d) {
      const int32_t dim = shape.data[d], out_dim = shapes.out.data[d + shapes.out.length - shape.length];
      broadcasts = dim == out_dim || dim == 1;
    }
    if (args.ok() && !broadcasts) {
      args.range_error("argument " + std::to_string(index + 1) + " (" + name + ") " + shape_text(shape) +
                       " does not broadcast to " + out_label);
    }
  }
  return shapes;
}

int64_t shape_size(const ganc::Buffer<const int32_t>& shape) {
  int64_t size = 1;
  for (int64_t d = 0; d < shape.length; ++d) size = product({size, shape.data[d]});
  return size;
}

// binary(op, a, aShape, b, bShape, out, outShape) and compare(...) with out a Uint8Array: op is a code
// from opCodes(); shapes are Int32Arrays.
template <typename Op, typename OutBuffer, typename Kernel>
Napi::Value Broadcasting(const Napi::CallbackInfo& info, const char* entry, int op_count, OutBuffer (Arguments::*read_out)(size_t, const char*),
                         const char* out_unit, Kernel kernel) {
  Arguments args(info, entry, 7);
  const int op = args.integer(0, "op", 0, op_count - 1);
  const auto a = args.floats(1, "a");
  const auto b = args.floats(3, "b");
  const auto out = (args.*read_out)(5, "out");
  const BroadcastShapes shapes = broadcast_shapes(args, 2, 4, 6);
  if (!args.ok()) return info.Env().Undefined();
  args.need(1, "a", a.length, shape_size(shapes.a), "floats");
  args.need(3, "b", b.length, shape_size(shapes.b), "floats");
  args.need(5, "out", out.length, shape_size(shapes.out), out_unit);
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] {
    kernel(static_cast<Op>(op), a.data, shapes.a.data, static_cast<int>(shapes.a.length), b.data, shapes.b.data,
           static_cast<int>(shapes.b.length), out.data, shapes.out.data, static_cast<int>(shapes.out.length));
  });
  return info.Env().Undefined();
}

template <typename T, size_t N>
constexpr int count_of(const T (&)[N]) { return static_cast<int>(N); }

Napi::Value Binary(const Napi::CallbackInfo& info) {
  return Broadcasting<ganc::BinaryOp>(info, "binary", count_of(ganc::kBinaryOpNames), &Arguments::floats, "floats", ganc::binary);
}

Napi::Value Compare(const Napi::CallbackInfo& info) {
  return Broadcasting<ganc::CompareOp>(info, "compare", count_of(ganc::kCompareOpNames), &Arguments::bytes, "bytes", ganc::compare);
}

// unary(op, x, out, alpha): op is a code from opCodes(); out holds at least x.length floats.
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Arguments args(info, "unary", 4);
  const int op = args.integer(0, "op", 0, count_of(ganc::kUnaryOpNames) - 1);
  const auto x = args.floats(1, "x"), out = args.floats(2, "out");
  const float alpha = static_cast<float>(args.number(3, "alpha"));
  args.need(2, "out", out.length, x.length, "floats");
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] { ganc::unary(static_cast<ganc::UnaryOp>(op), x.data, out.data, x.length, alpha); });
  return info.Env().Undefined();
}

// stepMultiply(dy, x, out, alpha): out = dy * step(x, alpha), as many elements as out holds.
Napi::Value StepMultiply(const Napi::CallbackInfo& info) {
  Arguments args(info, "stepMultiply", 4);
  const auto dy = args.floats(0, "dy"), x = args.floats(1, "x"), out = args.floats(2, "out");
  const float alpha = static_cast<float>(args.number(3, "alpha"));
  args.need(0, "dy", dy.length, out.length, "floats");
  args.need(1, "x", x.length, out.length, "floats");
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] { ganc::step_multiply(dy.data, x.data, alpha, out.data, out.length); });
  return info.Env().Undefined();
}

// select(condition: Uint8Array, a, b, out): as many elements as out holds.
Napi::Value Select(const Napi::CallbackInfo& info) {
  Arguments args(info, "select", 4);
  const auto condition = args.bytes(0, "condition");
  const auto a = args.floats(1, "a"), b = args.floats(2, "b"), out = args.floats(3, "out");
  args.need(0, "condition", condition.length, out.length, "bytes");
  args.need(1, "a", a.length, out.length, "floats");
  args.need(2, "b", b.length, out.length, "floats");
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] { ganc::select(condition.data, a.data, b.data, out.data, out.length); });
  return info.Env().Undefined();
}

// reduceSum(x, outer, reduced, inner, scale, out)
// batchNormTrain(x, rows, channels, gamma, beta, eps, scale, y, mean, variance): x and y rows x channels, the
// others channels long (batch_norm.h).
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  Arguments args(info, "batchNormTrain", 10);
  const auto x = args.floats(0, "x");
  const int64_t rows = args.integer(1, "rows", 0), channels = args.integer(2, "channels", 0);
  const auto gamma = args.floats(3, "gamma"), beta = args.floats(4, "beta");
  const float eps = static_cast<float>(args.number(5, "eps")), scale = static_cast<float>(args.number(6, "scale"));
  const auto y = args.floats(7, "y"), mean = args.floats(8, "mean"), variance = args.floats(9, "variance");
  args.need(0, "x", x.length, product({rows, channels}), "floats");
  args.need(3, "gamma", gamma.length, channels, "floats");
  args.need(4, "beta", beta.length, channels, "floats");
  args.need(7, "y", y.length, product({rows, channels}), "floats");
  args.need(8, "mean", mean.length, channels, "floats");
  args.need(9, "variance", variance.length, channels, "floats");
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] {
    ganc::batch_norm_train(x.data, rows, channels, gamma.data, beta.data, eps, scale, y.data, mean.data, variance.data);
  });
  return info.Env().Undefined();
}

// batchNormTrainGrad(x, dy, rows, channels, mean, variance, gamma, dmean, dvariance, eps, dx, dgamma, dbeta):
// x, dy and dx rows x channels, the others channels long (batch_norm.h).
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  Arguments args(info, "batchNormTrainGrad", 13);
  const auto x = args.floats(0, "x"), dy = args.floats(1, "dy");
  const int64_t rows = args.integer(2, "rows", 0), channels = args.integer(3, "channels", 0);
  const auto mean = args.floats(4, "mean"), variance = args.floats(5, "variance"), gamma = args.floats(6, "gamma");
  const auto dmean = args.floats(7, "dmean"), dvariance = args.floats(8, "dvariance");
  const float eps = static_cast<float>(args.number(9, "eps"));
  const auto dx = args.floats(10, "dx"), dgamma = args.floats(11, "dgamma"), dbeta = args.floats(12, "dbeta");
  args.need(0, "x", x.length, product({rows, channels}), "floats");
  args.need(1, "dy", dy.length, product({rows, channels}), "floats");
  args.need(4, "mean", mean.length, channels, "floats");
  args.need(5, "variance", variance.length, channels, "floats");
  args.need(6, "gamma", gamma.length, channels, "floats");
  args.need(7, "dmean", dmean.length, channels, "floats");
  args.need(8, "dvariance", dvariance.length, channels, "floats");
  args.need(10, "dx", dx.length, product({rows, channels}), "floats");
  args.need(11, "dgamma", dgamma.length, channels, "floats");
  args.need(12, "dbeta", dbeta.length, channels, "floats");
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] {
    ganc::batch_norm_train_grad(x.data, dy.data, rows, channels, mean.data, variance.data, gamma.data, dmean.data,
                                dvariance.data, eps, dx.data, dgamma.data, dbeta.data);
  });
  return info.Env().Undefined();
}

Napi::Value ReduceSum(const Napi::CallbackInfo& info) {
  Arguments args(info, "reduceSum", 6);
  const auto x = args.floats(0, "x");
  const int64_t outer = args.integer(1, "outer", 0), reduced = args.integer(2, "reduced", 0), inner = args.integer(3, "inner", 0);
  const float scale = static_cast<float>(args.number(4, "scale"));
  const auto out = args.floats(5, "out");
  args.need(0, "x", x.length, product({outer, reduced, inner}), "floats");
  args.need(5, "out", out.length, product({outer, inner}), "floats");
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] { ganc::reduce_sum(x.data, outer, reduced, inner, scale, out.data); });
  return info.Env().Undefined();
}

// adam(param, m, v, grad, paramOut, mOut, vOut, lr, beta1, beta2, eps, step): one fused Adam update of
// param.length elements.
Napi::Value Adam(const Napi::CallbackInfo& info) {
  Arguments args(info, "adam", 12);
  static const char* const names[] = {"param", "m", "v", "grad", "paramOut", "mOut", "vOut"};
  ganc::Buffer<float> buffers[7];
  for (int i = 0; i < 7; ++i) buffers[i] = args.floats(i, names[i]);
  for (int i = 1; i < 7; ++i) args.need(i, names[i], buffers[i].length, buffers[0].length, "floats");
  const ganc::AdamSettings settings{args.number(7, "lr"), args.number(8, "beta1"), args.number(9, "beta2"),
                                    args.number(10, "eps"), args.integer(11, "step", 1, int64_t{1} << 53)};
  if (!args.ok()) return info.Env().Undefined();
  dispatch(info, [=] {
    ganc::adam_update(settings, buffers[0].data, buffers[1].data, buffers[2].data, buffers[3].data, buffers[4].data,
                      buffers[5].data, buffers[6].data, buffers[0].length);
  });
  return info.Env().Undefined();
}

// setBlas('openblas' | 'ganc') -> the name now in use ('ganc' when OpenBLAS could not be loaded).
Napi::Value SetBlas(const Napi::CallbackInfo& info) {
  Arguments args(info, "setBlas", 1);
  const std::string name = args.string(0, "name");
  if (args.ok() && name != "openblas" && name != "ganc") args.range_error("argument 1 (name) must be 'openblas' or 'ganc', got '" + name + "'");
  if (!args.ok()) return info.Env().Undefined();
  ganc::join();  // the kernels already submitted run with the BLAS they were called with
  return Napi::String::New(info.Env(), ganc::set_blas(name == "openblas"));
}

Napi::Value Blas(const Napi::CallbackInfo& info) {
  if (!Arguments(info, "blas", 0).ok()) return info.Env().Undefined();
  return Napi::String::New(info.Env(), ganc::blas_name());
}

Napi::Value Threads(const Napi::CallbackInfo& info) {
  if (!Arguments(info, "threads", 0).ok()) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), ganc::thread_count());
}

// opCodes() -> {binary: {Add: 0, ...}, compare: {...}, unary: {...}}: tfjs kernel name to op code, from
// elementwise.h's lists; elementwise.ts takes its codes from here.
Napi::Value OpCodes(const Napi::CallbackInfo& info) {
  if (!Arguments(info, "opCodes", 0).ok()) return info.Env().Undefined();
  auto table = [&](const auto& names) {
    Napi::Object codes = Napi::Object::New(info.Env());
    for (int code = 0; code < count_of(names); ++code) codes.Set(names[code], code);
    return codes;
  };
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("binary", table(ganc::kBinaryOpNames));
  result.Set("compare", table(ganc::kCompareOpNames));
  result.Set("unary", table(ganc::kUnaryOpNames));
  return result;
}

// setDeferred(on): whether kernel entries return before their kernel has run (see the top of this file).
Napi::Value SetDeferred(const Napi::CallbackInfo& info) {
  Arguments args(info, "setDeferred", 1);
  const bool on = args.boolean(0, "on");
  if (!args.ok()) return info.Env().Undefined();
  ganc::join();
  release_finished();
  deferred = on;
  return info.Env().Undefined();
}

// join(): returns when every kernel called so far has run, working on them meanwhile.
Napi::Value Join(const Napi::CallbackInfo& info) {
  if (!Arguments(info, "join", 0).ok()) return info.Env().Undefined();
  ganc::join();
  release_finished();
  return info.Env().Undefined();
}

// When the JavaScript environment ends (the process exits): the kernels still queued run to their end while the
// arrays they hold are alive, and the references go before the environment does.
void finish_deferred(void*) {
  ganc::join();
  held.clear();
  deferred = false;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  ganc::tune_malloc_for_large_tensors();
  napi_add_env_cleanup_hook(env, finish_deferred, nullptr);
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("conv2d", Napi::Function::New(env, Conv2D));
  exports.Set("conv2dBias", Napi::Function::New(env, Conv2DBias));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2DBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2DBackpropFilter));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("compare", Napi::Function::New(env, Compare));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("select", Napi::Function::New(env, Select));
  exports.Set("stepMultiply", Napi::Function::New(env, StepMultiply));
  exports.Set("reduceSum", Napi::Function::New(env, ReduceSum));
  exports.Set("batchNormTrain", Napi::Function::New(env, BatchNormTrain));
  exports.Set("batchNormTrainGrad", Napi::Function::New(env, BatchNormTrainGrad));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("setBlas", Napi::Function::New(env, SetBlas));
  exports.Set("blas", Napi::Function::New(env, Blas));
  exports.Set("threads", Napi::Function::New(env, Threads));
  exports.Set("opCodes", Napi::Function::New(env, OpCodes));
  exports.Set("setDeferred", Napi::Function::New(env, SetDeferred));
  exports.Set("join", Napi::Function::New(env, Join));
  return exports;
}

}  // namespace

NODE_API_MODULE(ganc_native, Init)
