#!/usr/bin/python3
"""Exports the inception max-pool fixtures (issue 16): GoogLeNet's stem with its first inception
block (torchvision modules, opset 14, 64x64, BatchNorm statistics perturbed), and a minimal graph of
ceil_mode max-pools concatenated with conv branches, whose first pools read the (quantised) input
directly so that exact ties and padded/overhanging windows are exercised.

Same .bin format and loss as make_fixtures.py; the exposed activation "feat" is the inception
block's concatenation. References are torch float32 autograd (grad_x) plus float64 (grad_x64).

Examples are screened: a float32 forward (any framework) may order two values of a max-pool window
differently when they are within a few ulps (ORT and torch differ by about 1e-7 relative here), or
put a ReLU pre-activation on the other side of 0, and then routes the gradient elsewhere: at 64x64
GoogLeNet has such near-ties in most random inputs. Candidates whose float64 forward has a max-pool
window whose two largest distinct values differ by less than POOL_MARGIN (relative to the tensor's
largest magnitude), or a ReLU input within RELU_MARGIN of 0, are redrawn; the counts are printed. Exact ties
(copies of one value) are kept: both torch and ONNX Runtime route them to the first index.

Run with Debian's torch (1.13): /usr/bin/python3 make_inception_fixtures.py
"""
import io
import os
import sys

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import OUT, export, randomise_bn, write_tensors  # noqa: E402

POOL_MARGIN = 1e-6
RELU_MARGIN = 2e-7
EXAMPLES = 4


class GoogLeNetStem3a(nn.Module):
    """torchvision GoogLeNet up to inception3a (its 3x3/s1/p1 ceil_mode max-pool branch), then a head."""

    def __init__(self):
        super().__init__()
        g = torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False)
        self.conv1, self.maxpool1, self.conv2, self.conv3, self.maxpool2 = (
            g.conv1, g.maxpool1, g.conv2, g.conv3, g.maxpool2)
        self.inception3a = g.inception3a
        self.fc = nn.Linear(256, 10)

    def forward(self, x):
        x = self.maxpool2(self.conv3(self.conv2(self.maxpool1(self.conv1(x)))))
        feat = self.inception3a(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(feat, 1), 1)), feat


class CeilPoolConcat(nn.Module):
    """3x3/s2 and 3x3/s1/p1 ceil_mode max-pools, on the input itself and after a conv, concatenated."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.b1 = nn.Conv2d(8, 4, 1)
        self.b2 = nn.Conv2d(8, 4, 1)
        self.fc = nn.Linear(14 * 4 * 4, 10)

    def forward(self, x):
        p = F.max_pool2d(x, 3, 2, ceil_mode=True)                 # 16 -> 8, the last window overhangs
        q = F.max_pool2d(p, 3, 1, 1, ceil_mode=True)              # padded windows over duplicated maxima
        y = F.max_pool2d(F.relu(self.bn(self.c1(x))), 3, 2, ceil_mode=True)
        feat = torch.cat([self.b1(y), self.b2(F.max_pool2d(y, 3, 1, 1, ceil_mode=True)), q, p], 1)
        z = F.max_pool2d(F.relu(feat), 3, 2, ceil_mode=True)      # 8 -> 4
        return self.fc(torch.flatten(z, 1)), feat


def quantised(gen, shape):
    """Input in {1/8, ..., 1}: many exact ties in the pools that read it."""
    return torch.randint(1, 9, shape, generator=gen).float() / 8


def uniform(gen, shape):
    return torch.rand(shape, generator=gen)


# name, module, input shape, opset, input sampler
FIXTURES = [
    ("googlenet_stem3a", GoogLeNetStem3a, (3, 64, 64), 14, uniform),
    ("ceil_pool_concat", CeilPoolConcat, (3, 16, 16), 14, quantised),
]


def margins(model, x):
    """Smallest relative max-pool gap and ReLU-input distance from 0 of a float64 forward of one example."""
    worst = [float("inf"), float("inf")]
    hooks = []

    def pool_hook(mod, inp, out):
        a = inp[0]
        k, s, p = mod.kernel_size, mod.stride, mod.padding
        k, s, p = (v if isinstance(v, int) else v[0] for v in (k, s, p))
        oh, ow = out.shape[2:]
        pad = F.pad(a, (p, p + k, p, p + k), value=float("-inf"))
        win = F.unfold(pad, k, stride=s)                                   # [1, C*k*k, L]
        gh = (pad.shape[2] - k) // s + 1
        gw = (pad.shape[3] - k) // s + 1
        win = win.view(1, a.shape[1], k * k, gh, gw)[..., :oh, :ow]
        top = win.max(2).values
        below = torch.where(win < top.unsqueeze(2), win, torch.full_like(win, float("-inf"))).max(2).values
        gap = (top - below) / a.abs().max()
        worst[0] = min(worst[0], float(gap.min()))

    def relu_input(z):
        worst[1] = min(worst[1], float((z.abs() / z.abs().max()).min()))

    for m in model.modules():
        if isinstance(m, nn.MaxPool2d):
            hooks.append(m.register_forward_hook(pool_hook))
        if isinstance(m, nn.BatchNorm2d):
            hooks.append(m.register_forward_hook(lambda mod, inp, out: relu_input(out)))
    # functional pools of CeilPoolConcat
    orig = F.max_pool2d

    def traced(a, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
        out = orig(a, kernel_size, stride, padding, dilation, ceil_mode, return_indices)
        pool_hook(nn.MaxPool2d(kernel_size, stride, padding, ceil_mode=ceil_mode), (a,), out)
        return out

    F.max_pool2d = traced
    try:
        with torch.no_grad():
            model(x)
    finally:
        F.max_pool2d = orig
        for h in hooks:
            h.remove()
    return worst


def loss_of(model, x, target, w_ce, w_logit, w_feat):
    logits, feat = model(x)
    ce = -(target * F.log_softmax(logits, 1)).sum(1)
    return w_ce * ce - (w_logit * logits).sum(1) - (w_feat * feat).flatten(1).sum(1), logits, feat


def main():
    for i, (name, cls, shape, opset, sample) in enumerate(FIXTURES):
        torch.manual_seed(300 + i)
        gen = torch.Generator().manual_seed(400 + i)
        model = cls()
        randomise_bn(model, gen)
        model.eval()
        onnx_model = export(model, shape, opset, {})
        onnx.save(onnx_model, os.path.join(OUT, name + ".onnx"))

        m64 = cls()
        m64.load_state_dict(model.state_dict())
        m64 = m64.double().eval()
        kept, rejected = [], 0
        while len(kept) < EXAMPLES:
            c = sample(gen, (1, *shape))
            pool_gap, relu_gap = margins(m64, c.double())
            if pool_gap < POOL_MARGIN or relu_gap < RELU_MARGIN:
                rejected += 1
                continue
            kept.append(c)
        x = torch.cat(kept).requires_grad_(True)
        n = EXAMPLES
        with torch.no_grad():
            logits, feat = model(x)
        k = logits.shape[1]
        target = torch.rand(n, k, generator=gen)
        target = target / target.sum(1, keepdim=True)
        target[0] = F.one_hot(torch.tensor(3), k).float()
        w_ce = torch.tensor([1.0, 0.5, 0.0, 1.0])
        w_logit = 0.1 * torch.randn(n, k, generator=gen)
        w_feat = 0.05 * torch.randn(feat.shape, generator=gen)
        loss, logits, feat = loss_of(model, x, target, w_ce, w_logit, w_feat)
        (grad,) = torch.autograd.grad(loss.sum(), x)
        x64 = x.detach().double().requires_grad_(True)
        loss64, _, _ = loss_of(m64, x64, target.double(), w_ce.double(), w_logit.double(), w_feat.double())
        (grad64,) = torch.autograd.grad(loss64.sum(), x64)
        rel = float((grad - grad64).abs().max() / grad64.abs().max())
        write_tensors(os.path.join(OUT, name + ".bin"), [
            ("x", x), ("target", target), ("w_ce", w_ce), ("w_logit", w_logit), ("logits", logits),
            ("loss", loss), ("grad_x", grad), ("grad_x64", grad64), ("w_feat", w_feat), ("feat", feat)])
        size = os.path.getsize(os.path.join(OUT, name + ".onnx")) + os.path.getsize(os.path.join(OUT, name + ".bin"))
        print(f"{name}: opset {opset}, input {shape}, {k} classes, feat {tuple(feat.shape)}, {size} bytes, "
              f"{rejected} candidates redrawn, torch float32 vs float64 grad_x {rel:.2e}")


if __name__ == "__main__":
    main()
