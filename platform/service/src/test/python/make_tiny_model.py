#!/usr/bin/python3
"""Writes src/test/resources/models/tiny-fashion/: a tiny untrained CNN in the shipped-model layout
(docs/MODEL-FORMAT.md) for the service's tests, so they run a real ONNX model through the real engine
before (and independently of) the trained models. Run with Debian's python3 (python3-onnx, python3-numpy):
    /usr/bin/python3 platform/service/src/test/python/make_tiny_model.py
Fixed seed: the output is byte-for-byte reproducible."""
import hashlib, json, os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

rng = np.random.default_rng(7)
out = os.path.join(os.path.dirname(__file__), "..", "resources", "models", "tiny-fashion")
os.makedirs(out, exist_ok=True)
classes = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"]

w1 = (rng.standard_normal((4, 1, 3, 3)) * 0.5).astype(np.float32)
b1 = (rng.standard_normal(4) * 0.1).astype(np.float32)
w2 = (rng.standard_normal((784, 10)) * 0.05).astype(np.float32)
b2 = (rng.standard_normal(10) * 0.1).astype(np.float32)
nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["conv"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["conv"], ["relu"]),
    helper.make_node("MaxPool", ["relu"], ["pool"], kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Flatten", ["pool"], ["features"], axis=1),
    helper.make_node("Gemm", ["features", "w2", "b2"], ["logits"]),
]
graph = helper.make_graph(
    nodes, "tiny_fashion",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 28, 28])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])],
    [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
     numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="rsynth-service-tests")
model.ir_version = 8
onnx.checker.check_model(model)
data = model.SerializeToString()
with open(os.path.join(out, "model.onnx"), "wb") as f:
    f.write(data)
card = {
    "name": "tiny-fashion", "formatVersion": 1, "classes": classes,
    "input": {"channels": 1, "height": 28, "width": 28, "range": [0, 1], "layout": "NCHW", "name": "x"},
    "output": {"name": "logits"},
    "architecture": "conv3x3(4)-relu-maxpool2-linear, untrained (service test fixture)",
    "threatModel": None,
    "layers": [{"name": "features", "shape": [784], "description": "flattened pooled conv features"}],
    "onnx": {"file": "model.onnx", "sha256": hashlib.sha256(data).hexdigest(), "opset": 17},
    "synthesisDefaults": {"eps": 2.0, "stepSize": 0.5, "steps": 10},
}
with open(os.path.join(out, "model.json"), "w") as f:
    json.dump(card, f, indent=2)
    f.write("\n")
print("wrote", out, len(data), "bytes")
