// 2-D convolution in NHWC with filters [filter_h, filter_w, in_c, out_c], as tfjs lays them out,
// through im2col / col2im and gemm. Padding is given explicitly (tfjs computes 'same'/'valid').
#pragma once

namespace ganc {

struct ConvGeometry {
  int batch, in_h, in_w, in_c;
  int filter_h, filter_w, out_c;
  int out_h, out_w;
  int stride_h, stride_w;
  int pad_top, pad_left;
};

// y[batch, out_h, out_w, out_c] = conv(x, w)
// With a bias (out_c floats), y = conv(x, w) + bias, each element the same float as a separate Add.
// A leaky relu (alpha 0: relu) applied after the bias, as the LeakyRelu kernel computes it.
struct ConvActivation {
  bool leaky = false;
  float alpha = 0.0f;
};
void conv2d(const ConvGeometry& g, const float* x, const float* w, float* y, const float* bias = nullptr,
            ConvActivation act = {});
// dx[batch, in_h, in_w, in_c] from dy[batch, out_h, out_w, out_c]; also conv2dTranspose's forward.
void conv2d_backprop_input(const ConvGeometry& g, const float* dy, const float* w, float* dx);
// dw[filter_h, filter_w, in_c, out_c] from x and dy.
void conv2d_backprop_filter(const ConvGeometry& g, const float* x, const float* dy, float* dw);

}  // namespace ganc
