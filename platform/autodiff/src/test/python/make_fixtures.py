#!/usr/bin/python3
"""Exports the torch reference fixtures of platform/autodiff's tests.

Each fixture is a small classifier with random but fixed-seed weights, in eval mode, exported
with torch.onnx.export (dynamic batch), plus a batch of inputs, soft targets and loss weights
and torch's reference logits, per-example losses and input gradients (autograd):

    loss = w_ce * CE(logits, target) - sum_k w_logit * logits - sum w_L * L

where CE(z, t) = -sum_k t_k log_softmax(z)_k and L are exposed activations (feature painting).

Output: src/test/resources/fixtures/<name>.onnx and <name>.bin. The .bin format, little endian:
    b"RSTN", uint32 count, then per tensor: uint16 name length, UTF-8 name, uint8 rank,
    int64 dims[rank], float32 data (row-major).
Tensors: x, target, w_ce, w_logit, logits, loss, grad_x, and for each exposed L: w_<L>, <L>.

Run with Debian's torch (1.13): /usr/bin/python3 make_fixtures.py
"""
import io
import os
import struct

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")


class SmallCnn(nn.Module):
    """Fashion-style CNN; view(size(0), -1) exports the Shape/Gather/Concat plumbing."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 16, 3, padding=1)
        self.f1 = nn.Linear(16 * 4 * 4, 32)
        self.drop = nn.Dropout(0.3)
        self.f2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = x.view(x.size(0), -1)
        feat = F.relu(self.f1(x))
        return self.f2(self.drop(feat)), feat


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + (x if self.short is None else self.short(x)))


class CifarResNet(nn.Module):
    """CIFAR-style ResNet with BatchNorm, normalisation inside, strided stages, global pooling."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.49, 0.48, 0.45]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.25, 0.24, 0.26]).view(1, 3, 1, 1))
        self.stem = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.layers = nn.Sequential(Block(8, 8, 1), Block(8, 16, 2), Block(16, 16, 2))
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = F.relu(self.bn(self.stem(x)))
        x = self.layers(x)
        feat = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(feat), feat


class MaxPoolNet(nn.Module):
    """Overlapping 3x3/s2 max pooling, a ceil-mode pool and a dilated one."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 6, 3, padding=1)
        self.c2 = nn.Conv2d(6, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 2 * 2, 10)

    def forward(self, x):
        x = F.max_pool2d(torch.tanh(self.c1(x)), 3, 2, 1)
        x = F.max_pool2d(self.c2(x), 3, 2, ceil_mode=True)
        feat = F.max_pool2d(x, 2, 1, dilation=2)
        return self.fc(torch.flatten(feat, 1)), feat


class DepthwiseNet(nn.Module):
    """MobileNet-style: depthwise 3x3 (stride 1 and 2), pointwise 1x1, BN, ReLU6 (Clip)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU6())
        self.dw1 = nn.Sequential(nn.Conv2d(8, 8, 3, 1, 1, groups=8, bias=False), nn.BatchNorm2d(8), nn.ReLU6())
        self.pw1 = nn.Sequential(nn.Conv2d(8, 16, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6())
        self.dw2 = nn.Sequential(nn.Conv2d(16, 32, 3, 2, 1, groups=16, bias=False), nn.BatchNorm2d(32), nn.ReLU6())
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.dw2(self.pw1(self.dw1(self.stem(x))))
        feat = x.mean(dim=(2, 3))
        return self.fc(feat), x


class ConcatNet(nn.Module):
    """Inception-style concatenated branches (conv 1x1, conv 3x3, max-pool + conv, avg-pool)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.b1 = nn.Conv2d(8, 4, 1)
        self.b2 = nn.Conv2d(8, 6, 3, padding=1)
        self.b3 = nn.Conv2d(8, 4, 1)
        self.fc = nn.Linear(4 + 6 + 4 + 8, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        y = torch.cat([self.b1(x), self.b2(x), self.b3(F.max_pool2d(x, 3, 1, 1)), F.avg_pool2d(x, 3, 1, 1)], 1)
        y = F.relu(y)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1)), y


class LeakyAvgNet(nn.Module):
    """LeakyReLU and AveragePool with count_include_pad both ways (one in ceil mode)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 6, 3, padding=1)
        self.c2 = nn.Conv2d(6, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 5 * 5, 10)

    def forward(self, x):
        x = F.avg_pool2d(F.leaky_relu(self.c1(x), 0.1), 3, 2, 1, count_include_pad=True)
        x = F.avg_pool2d(F.leaky_relu(self.c2(x), 0.2), 3, 2, 1, ceil_mode=True, count_include_pad=False)
        return self.fc(torch.flatten(x, 1)), x


class MiscNet(nn.Module):
    """Sigmoid, Tanh, Clip, Softmax, Transpose, Slice (steps), Pad, Gemm, MatMul, ReduceMean, Div."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1)
        self.gate = nn.Conv2d(8, 8, 1)
        self.proj = nn.Linear(8, 12)
        self.fc = nn.Linear(12 * 4, 10)

    def forward(self, x):
        y = torch.tanh(self.c1(x))                       # [N,8,12,12]
        y = y * torch.sigmoid(self.gate(y))              # SE-like gating (fan-out)
        y = F.pad(y, (1, 2, 0, 1), value=0.25)           # [N,8,13,15]
        y = y[:, :, 1:-1:3, ::2]                         # [N,8,4,8]  Slice with steps
        a = y.flatten(2)                                 # [N,8,32]
        att = torch.softmax(a @ a.transpose(1, 2) / 4.0, dim=-1)   # [N,8,8]
        y = (att @ a).view(a.size(0), 8, 4, 8)           # MatMul both varied
        y = y.permute(0, 2, 3, 1)                        # [N,4,8,8] Transpose
        feat = y.mean(dim=2)                             # [N,4,8] ReduceMean
        z = torch.clamp(self.proj(feat), -0.5, 0.5)      # MatMul + Add + Clip
        z = torch.log_softmax(z, dim=-1) + z
        return self.fc(z.reshape(z.size(0), -1)), feat


# name, module, input shape, opset, export options
FIXTURES = [
    ("small_cnn", SmallCnn, (1, 16, 16), 11, {}),
    # PRESERVE (model in eval mode): BatchNormalization stays a node instead of being fused into the convs
    ("cifar_resnet", CifarResNet, (3, 32, 32), 13, {"training": torch.onnx.TrainingMode.PRESERVE}),
    # old exporter style: initializers also listed as graph inputs
    ("maxpool_net", MaxPoolNet, (3, 15, 15), 12, {"keep_initializers_as_inputs": True}),
    ("depthwise_net", DepthwiseNet, (3, 16, 16), 14, {"training": torch.onnx.TrainingMode.PRESERVE}),
    ("concat_net", ConcatNet, (3, 12, 12), 16, {}),
    ("leaky_avg_net", LeakyAvgNet, (3, 18, 18), 17, {}),
    ("misc_net", MiscNet, (3, 12, 12), 17, {}),
]


def randomise_bn(model, gen):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = 0.5 + torch.rand(c, generator=gen)
            m.bias.data = 0.2 * torch.randn(c, generator=gen)
            m.running_mean.data = 0.2 * torch.randn(c, generator=gen)
            m.running_var.data = 0.5 + torch.rand(c, generator=gen)


class Exported(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x)


def export(model, shape, opset, options):
    buf = io.BytesIO()
    dummy = torch.rand(2, *shape)
    kwargs = {"do_constant_folding": True}
    kwargs.update(options)
    torch.onnx.export(model, dummy, buf, input_names=["input"], output_names=["output", "feat"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}, "feat": {0: "batch"}},
                      opset_version=opset, **kwargs)
    m = onnx.load_from_string(buf.getvalue())
    outs = [o for o in m.graph.output if o.name != "feat"]
    del m.graph.output[:]
    m.graph.output.extend(outs)
    onnx.checker.check_model(m)
    return m


def write_tensors(path, tensors):
    with open(path, "wb") as f:
        f.write(b"RSTN")
        f.write(struct.pack("<I", len(tensors)))
        for name, t in tensors:
            a = np.ascontiguousarray(t.detach().numpy().astype("<f4"))
            nb = name.encode("utf-8")
            f.write(struct.pack("<H", len(nb)))
            f.write(nb)
            f.write(struct.pack("<B", a.ndim))
            for d in a.shape:
                f.write(struct.pack("<q", d))
            f.write(a.tobytes())


def main():
    os.makedirs(OUT, exist_ok=True)
    for i, (name, cls, shape, opset, options) in enumerate(FIXTURES):
        torch.manual_seed(100 + i)
        gen = torch.Generator().manual_seed(200 + i)
        model = cls()
        randomise_bn(model, gen)
        model.eval()
        onnx_model = export(model, shape, opset, options)
        onnx.save(onnx_model, os.path.join(OUT, name + ".onnx"))

        n = 3
        x = torch.rand(n, *shape, generator=gen, requires_grad=True)
        logits, feat = model(x)
        k = logits.shape[1]
        target = torch.rand(n, k, generator=gen)
        target = target / target.sum(1, keepdim=True)
        target[0] = F.one_hot(torch.tensor(3), k).float()
        target[2] *= 0.9
        w_ce = torch.tensor([1.0, 0.5, 0.0])
        w_logit = 0.1 * torch.randn(n, k, generator=gen)
        w_feat = 0.05 * torch.randn(feat.shape, generator=gen)
        ce = -(target * F.log_softmax(logits, 1)).sum(1)
        loss = w_ce * ce - (w_logit * logits).sum(1) - (w_feat * feat).flatten(1).sum(1)
        (grad,) = torch.autograd.grad(loss.sum(), x)
        write_tensors(os.path.join(OUT, name + ".bin"), [
            ("x", x), ("target", target), ("w_ce", w_ce), ("w_logit", w_logit), ("logits", logits),
            ("loss", loss), ("grad_x", grad), ("w_feat", w_feat), ("feat", feat)])
        size = os.path.getsize(os.path.join(OUT, name + ".onnx")) + os.path.getsize(os.path.join(OUT, name + ".bin"))
        print(f"{name}: opset {opset}, input {shape}, {k} classes, feat {tuple(feat.shape)}, {size} bytes")


if __name__ == "__main__":
    main()
