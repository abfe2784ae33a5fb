#include "arguments.h"

#include <cmath>
#include <cstdio>

namespace ganc {
namespace {

const char* typed_array_name(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "a typed array";
  }
}

// What the caller passed, for the message (only computed once a check has failed).
std::string describe(napi_env env, napi_value value) {
  napi_valuetype kind;
  if (napi_typeof(env, value, &kind) != napi_ok) return "an unknown value";
  switch (kind) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: return "a number";
    case napi_string: return "a string";
    case napi_symbol: return "a symbol";
    case napi_function: return "a function";
    case napi_bigint: return "a bigint";
    default: break;
  }
  bool is = false;
  if (napi_is_typedarray(env, value, &is) == napi_ok && is) {
    napi_typedarray_type type;
    size_t length;
    napi_get_typedarray_info(env, value, &type, &length, nullptr, nullptr, nullptr);
    return typed_array_name(type);
  }
  if (napi_is_array(env, value, &is) == napi_ok && is) return "an Array";
  if (napi_is_dataview(env, value, &is) == napi_ok && is) return "a DataView";
  if (napi_is_arraybuffer(env, value, &is) == napi_ok && is) return "an ArrayBuffer";
  return "an object";
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace

int64_t product(std::initializer_list<int64_t> sizes) {
  int64_t result = 1;
  for (const int64_t size : sizes) {
    if (size == 0) return 0;
    if (__builtin_mul_overflow(result, size, &result)) result = std::numeric_limits<int64_t>::max();
  }
  return result;
}

Arguments::Arguments(const Napi::CallbackInfo& info, const char* entry, size_t count)
    : env_(info.Env()), info_(info), entry_(entry) {
  if (info.Length() == count) return;
  ok_ = false;
  const std::string message = std::string(entry) + ": expects " + std::to_string(count) + " argument" +
                              (count == 1 ? "" : "s") + ", got " + std::to_string(info.Length());
  Napi::TypeError::New(info.Env(), message).ThrowAsJavaScriptException();
}

std::string Arguments::label(size_t index, const char* name) const {
  return std::string(entry_) + ": argument " + std::to_string(index + 1) + " (" + name + ")";
}

void Arguments::type_error(size_t index, const char* name, const char* expected) {
  if (!ok_) return;
  ok_ = false;
  const std::string message = label(index, name) + " must be " + expected + ", got " + describe(env_, info_[index]);
  Napi::TypeError::New(env_, message).ThrowAsJavaScriptException();
}

void Arguments::range_error(const std::string& message) {
  if (!ok_) return;
  ok_ = false;
  Napi::RangeError::New(env_, std::string(entry_) + ": " + message).ThrowAsJavaScriptException();
}

template <typename T>
Buffer<T> Arguments::typed_array(size_t index, const char* name, napi_typedarray_type type, const char* type_name) {
  if (!ok_) return {};
  // One N-API call checks the type and gives data and length (data already includes the byte offset).
  napi_typedarray_type actual;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env_, info_[index], &actual, &length, &data, nullptr, nullptr) != napi_ok || actual != type) {
    type_error(index, name, type_name);
    return {};
  }
  return {static_cast<T*>(data), static_cast<int64_t>(length)};
}

Buffer<float> Arguments::floats(size_t index, const char* name) {
  return typed_array<float>(index, name, napi_float32_array, "a Float32Array");
}

Buffer<uint8_t> Arguments::bytes(size_t index, const char* name) {
  return typed_array<uint8_t>(index, name, napi_uint8_array, "a Uint8Array");
}

Buffer<const int32_t> Arguments::ints(size_t index, const char* name) {
  return typed_array<const int32_t>(index, name, napi_int32_array, "an Int32Array");
}

bool Arguments::boolean(size_t index, const char* name) {
  bool value = false;
  if (ok_ && napi_get_value_bool(env_, info_[index], &value) != napi_ok) type_error(index, name, "a boolean");
  return ok_ && value;
}

double Arguments::number(size_t index, const char* name) {
  double value = 0.0;
  if (ok_ && napi_get_value_double(env_, info_[index], &value) != napi_ok) type_error(index, name, "a number");
  return ok_ ? value : 0.0;
}

int64_t Arguments::integer(size_t index, const char* name, int64_t min, int64_t max) {
  const double value = number(index, name);
  if (!ok_) return 0;
  // Compared as doubles first, so NaN, infinities and huge values never reach the cast.
  if (!(value >= static_cast<double>(min) && value <= static_cast<double>(max)) || std::trunc(value) != value) {
    range_error(std::string("argument ") + std::to_string(index + 1) + " (" + name + ") must be an integer in [" +
                std::to_string(min) + ", " + std::to_string(max) + "], got " + format_number(value));
    return 0;
  }
  return static_cast<int64_t>(value);
}

std::string Arguments::string(size_t index, const char* name) {
  if (!ok_) return {};
  size_t length = 0;
  if (napi_get_value_string_utf8(env_, info_[index], nullptr, 0, &length) != napi_ok) {
    type_error(index, name, "a string");
    return {};
  }
  std::string value(length, '\0');
  napi_get_value_string_utf8(env_, info_[index], value.data(), length + 1, &length);
  return value;
}

void Arguments::need(size_t index, const char* name, int64_t have, int64_t need, const char* unit) {
  if (!ok_ || have >= need) return;
  range_error(std::string("argument ") + std::to_string(index + 1) + " (" + name + ") holds " + std::to_string(have) +
              " " + unit + ", needs " + std::to_string(need));
}

}  // namespace ganc
