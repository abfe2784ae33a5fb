// Checked reading of a native call's arguments. The kernels trust their pointers and sizes, so every
// entry point reads its arguments through this first: a wrong count, a wrong type or a buffer shorter
// than the other arguments imply becomes a JavaScript TypeError / RangeError instead of memory corruption.
// C++ exceptions are off (binding.gyp), so the first failed check sets the pending JS exception and marks
// the call failed; later reads return empty values and the entry returns before any kernel runs.
#pragma once

#include <napi.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

namespace ganc {

template <typename T>
struct Buffer {
  T* data = nullptr;
  int64_t length = 0;  // in elements
};

class Arguments {
 public:
  // Fails unless the call has exactly `count` arguments.
  Arguments(const Napi::CallbackInfo& info, const char* entry, size_t count);

  bool ok() const { return ok_; }
  napi_env env() const { return env_; }

  // Arguments are numbered from 0 here and from 1 in messages, as a reader of the JS call counts them.
  Buffer<float> floats(size_t index, const char* name);
  Buffer<uint8_t> bytes(size_t index, const char* name);
  Buffer<const int32_t> ints(size_t index, const char* name);
  bool boolean(size_t index, const char* name);
  double number(size_t index, const char* name);
  // A Number holding an integer in [min, max].
  int64_t integer(size_t index, const char* name, int64_t min, int64_t max = std::numeric_limits<int32_t>::max());
  std::string string(size_t index, const char* name);

  // Fails unless buffer argument `index` holds at least `need` elements; `unit` names them ("floats").
  void need(size_t index, const char* name, int64_t have, int64_t need, const char* unit);
  // A RangeError "<entry>: <message>" (for constraints between arguments).
  void range_error(const std::string& message);

 private:
  template <typename T>
  Buffer<T> typed_array(size_t index, const char* name, napi_typedarray_type type, const char* type_name);
  void type_error(size_t index, const char* name, const char* expected);
  std::string label(size_t index, const char* name) const;

  napi_env env_;
  const Napi::CallbackInfo& info_;
  const char* entry_;
  bool ok_ = true;
};

// The product of non-negative sizes, saturated at INT64_MAX (a saturated need exceeds any buffer).
int64_t product(std::initializer_list<int64_t> sizes);

}  // namespace ganc
