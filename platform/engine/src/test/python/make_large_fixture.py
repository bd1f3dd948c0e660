#!/usr/bin/python3
"""Exports the engine's 224x224 fixture: torchvision mobilenet_v3_small at width 0.25 with 1000 classes
(random fixed-seed weights, BatchNorm statistics perturbed), opset 17, input "x" [N,3,224,224] in [0,1]
with ImageNet normalisation inside the graph, output "logits" [N,1000]; about 1.7 MB.

Run with Debian's torch (1.13): /usr/bin/python3 make_large_fixture.py
"""
import io
import os

import onnx
import torch
import torch.nn as nn
import torchvision

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")


class Normalised(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        return self.inner((x - self.mean) / self.std)


def main():
    torch.manual_seed(16)
    gen = torch.Generator().manual_seed(17)
    net = torchvision.models.mobilenet_v3_small(weights=None, width_mult=0.25, num_classes=1000)
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = 0.5 + torch.rand(c, generator=gen)
            m.bias.data = 0.2 * torch.randn(c, generator=gen)
            m.running_mean.data = 0.2 * torch.randn(c, generator=gen)
            m.running_var.data = 0.5 + torch.rand(c, generator=gen)
    model = Normalised(net).eval()
    buf = io.BytesIO()
    torch.onnx.export(model, torch.rand(1, 3, 224, 224), buf, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "N"}, "logits": {0: "N"}}, opset_version=17, do_constant_folding=True)
    m = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(m)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "mobilenet_v3_small_224.onnx")
    onnx.save(m, path)
    print(path, os.path.getsize(path), "bytes,", sum(p.numel() for p in model.parameters()), "parameters")


if __name__ == "__main__":
    main()
