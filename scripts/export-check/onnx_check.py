#!/usr/bin/env python3
"""Checks ONNX files from `ganc export --format onnx` against the ONNX specification with the onnx
package: the full checker, then strict shape inference. Prints one JSON line per file with its opset
and the inferred output shape (symbolic dimensions by name), so the caller can compare that too.

usage: onnx_check.py FILE.onnx...

Needs the onnx package (Debian: python3-onnx); the tests skip, saying so, where it is missing.
"""
import json
import sys

import onnx


def main():
    for path in sys.argv[1:]:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        outputs = {
            o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in inferred.graph.output
        }
        opset = {i.domain or 'ai.onnx': i.version for i in model.opset_import}
        print(json.dumps({'file': path, 'ir_version': model.ir_version, 'opset': opset, 'outputs': outputs}))


if __name__ == '__main__':
    main()
