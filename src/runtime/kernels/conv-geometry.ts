// Turns tfjs's conv attributes into the geometry the native and portable kernels take, using tfjs's
// own computeConv2DInfo so 'same' / 'valid' / explicit padding and rounding match tfjs exactly.
import { backend_util } from '@tensorflow/tfjs-core';

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** NHWC geometry; field order is the Int32Array layout native/src/conv2d.h's ConvGeometry reads. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  filterHeight: number;
  filterWidth: number;
  outChannels: number;
  outHeight: number;
  outWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** The geometry, or undefined for what ganc's kernels do not handle (NCHW, dilation > 1). */
export function convGeometry(
  inShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
): ConvGeometry | undefined {
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
  if (dataFormat !== 'channelsLast') return undefined;
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    outChannels: info.outChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

export function geometryArray(g: ConvGeometry): Int32Array {
  return Int32Array.of(
    g.batch, g.inHeight, g.inWidth, g.inChannels,
    g.filterHeight, g.filterWidth, g.outChannels,
    g.outHeight, g.outWidth,
    g.strideHeight, g.strideWidth,
    g.padTop, g.padLeft,
  );
}

export const inputShape = (g: ConvGeometry) => [g.batch, g.inHeight, g.inWidth, g.inChannels];
export const outputShape = (g: ConvGeometry) => [g.batch, g.outHeight, g.outWidth, g.outChannels];
export const filterShape = (g: ConvGeometry) => [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels];
