{
  "targets": [
    {
      "target_name": "ganc_native",
      "sources": [
        "src/addon.cc",
        "src/arguments.cc",
        "src/thread_pool.cc",
        "src/blas_loader.cc",
        "src/gemm.cc",
        "src/micro_kernel.cc",
        "src/conv2d.cc",
        "src/malloc_tuning.cc",
        "src/elementwise.cc",
        "src/batch_norm.cc",
        "src/optimizer.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno"],
      "libraries": ["-ldl", "-lpthread"]
    }
  ]
}
