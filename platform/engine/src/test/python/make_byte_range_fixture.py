#!/usr/bin/python3
"""Exports the engine's input-range fixture: a small CNN that expects pixels in [0,255] (it divides by 127.5 and
subtracts 1 inside the graph, as many exported models do), trained to tell three colour classes apart. Class c
(0 red, 1 green, 2 blue) is an image whose every pixel has channel c uniform in [0.55,1] and the other two uniform
in [0,0.45] (on the [0,1] scale), the distribution ModelInstallerTest draws its PNGs from. Opset 17, input "x"
[N,3,32,32] in [0,255], output "logits" [N,3]; a few KB.

Run with Debian's torch (1.13): /usr/bin/python3 make_byte_range_fixture.py
"""
import io
import os

import onnx
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")


def colour_images(n, gen):
    labels = torch.randint(0, 3, (n,), generator=gen)
    x = torch.rand(n, 3, 32, 32, generator=gen) * 0.45
    hot = 0.55 + torch.rand(n, 32, 32, generator=gen) * 0.45
    x[torch.arange(n), labels] = hot
    return x, labels


class ByteInput(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(8, 8, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        return self.head(self.features(x / 127.5 - 1.0))


def main():
    torch.manual_seed(255)
    gen = torch.Generator().manual_seed(256)
    model = ByteInput()
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for step in range(300):
        x, y = colour_images(64, gen)
        loss = nn.functional.cross_entropy(model(255 * x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    x, y = colour_images(600, gen)
    with torch.no_grad():
        for name, scale, shift in (("0:255", 255.0, 0.0), ("0:1", 1.0, 0.0), ("-1:1", 2.0, -1.0)):
            acc = (model(scale * x + shift).argmax(1) == y).float().mean().item()
            print("accuracy with input", name, round(acc, 3))
    buf = io.BytesIO()
    torch.onnx.export(model, 255 * torch.rand(1, 3, 32, 32), buf, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "N"}, "logits": {0: "N"}}, opset_version=17, do_constant_folding=True)
    m = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(m)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "byte_range_cnn.onnx")
    onnx.save(m, path)
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
