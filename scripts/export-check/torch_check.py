#!/usr/bin/env python3
"""Runs the networks of a `ganc export --format torch` folder on given inputs; prints the outputs as JSON.

usage: torch_check.py EXPORT_DIR INPUTS.safetensors

INPUTS holds `z` [N, dim] for G and/or `x` [N, H, W, C] for D (NHWC, as ganc), float32. The networks are
built by the folder's model.py and loaded with its load() (strict state-dict loading), as a user would.
Printed: {"G": OUT, "D": OUT, "D_normalized": OUT, "state_dict": {"G": {name: [dtype, shape, first value]}, ...}},
each OUT {"shape": [...], "data": [...]} with images back in NHWC, so the caller compares them with ganc's
directly. D_normalized is model.normalized(d, x) when model.py has it (normalize gn/pgn).
Needs PyTorch (Debian: python3-torch); the tests skip, saying so, where it is missing.
"""
import importlib.util
import json
import os
import sys

import torch


def as_json(t):
    t = t.detach()
    if t.dim() == 4:
        t = t.permute(0, 2, 3, 1)  # NCHW -> NHWC
    return {'shape': list(t.shape), 'data': t.contiguous().reshape(-1).tolist()}


def main():
    export_dir, inputs_path = sys.argv[1:3]
    spec = importlib.util.spec_from_file_location('ganc_export_model', os.path.join(export_dir, 'model.py'))
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    inputs = model.load_state_dict(inputs_path)
    out = {'state_dict': {}}
    for name in ('G', 'D'):
        path = os.path.join(export_dir, name + '.safetensors')
        if os.path.exists(path):
            out['state_dict'][name] = {
                k: [str(v.dtype), list(v.shape), v.reshape(-1)[0].item()] for k, v in model.load_state_dict(path).items()
            }
    if 'z' in inputs and 'G' in out['state_dict']:
        g = model.load('G')
        with torch.no_grad():
            out['G'] = as_json(g(inputs['z']))
    if 'x' in inputs and 'D' in out['state_dict']:
        d = model.load('D')
        x = inputs['x']
        if x.dim() == 4:
            x = x.permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
        with torch.no_grad():
            out['D'] = as_json(d(x))
        if hasattr(model, 'normalized'):
            out['D_normalized'] = as_json(model.normalized(d, x))
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
