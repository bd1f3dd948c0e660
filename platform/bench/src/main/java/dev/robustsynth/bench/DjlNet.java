package dev.robustsynth.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.Map;

/**
 * The same {@link Net} run by libtorch through DJL's PyTorch engine, and one synthesis step: the
 * same per-example loss as the synthesis graph, input gradient by autograd.
 */
final class DjlNet implements AutoCloseable {
  private final Net net;
  private final NDManager manager;
  private final Map<String, NDArray> params = new HashMap<>();
  private final DataType type;

  DjlNet(Net net) {
    this(net, DataType.FLOAT32);
  }

  /** The network in the given precision (float64 gives a reference gradient). */
  DjlNet(Net net, DataType type) {
    this.net = net;
    this.type = type;
    this.manager = NDManager.newBaseManager();
    net.params.forEach((name, p) -> params.put(name, manager.create(p.data(), new Shape(p.dims())).toType(type, false)));
    for (Layer l : net.layers) {
      if (l instanceof Layer.Conv c) {
        params.put(c.weight() + ".zero_bias",
            manager.zeros(new Shape(net.params.get(c.weight()).dims()[0])).toType(type, false));
      }
    }
  }

  NDArray forward(NDArray x) {
    Map<String, NDArray> t = new HashMap<>();
    t.put("x", x);
    forwardInto(t);
    return t.get(net.output());
  }

  private void forwardInto(Map<String, NDArray> t) {
    for (Layer l : net.layers) {
      switch (l) {
        case Layer.Conv c -> t.put(c.out(), Conv2d.conv2d(t.get(c.in()), params.get(c.weight()),
            params.get(c.weight() + ".zero_bias"), new Shape(c.stride(), c.stride()), new Shape(c.pad(), c.pad()),
            new Shape(1, 1), 1).singletonOrThrow());
        case Layer.Bn b -> t.put(b.out(), BatchNorm.batchNorm(t.get(b.in()), params.get(b.prefix() + ".mean"),
            params.get(b.prefix() + ".var"), params.get(b.prefix() + ".scale"), params.get(b.prefix() + ".bias"), 1,
            0.1f, Net.BN_EPS, false).singletonOrThrow());
        case Layer.Relu r -> t.put(r.out(), Activation.relu(t.get(r.in())));
        case Layer.Add a -> t.put(a.out(), t.get(a.a()).add(t.get(a.b())));
        case Layer.MaxPool m -> t.put(m.out(), Pool.maxPool2d(t.get(m.in()), new Shape(m.kernel(), m.kernel()),
            new Shape(m.stride(), m.stride()), new Shape(m.pad(), m.pad()), false));
        case Layer.GlobalAvgPool p -> {
          NDArray in = t.get(p.in());
          t.put(p.out(), Pool.globalAvgPool2d(in).reshape(in.getShape().get(0), in.getShape().get(1)));
        }
        case Layer.Fc f -> t.put(f.out(), Linear.linear(t.get(f.in()), params.get(f.weight()), params.get(f.bias()))
            .singletonOrThrow());
      }
    }
  }

  /** The outputs of every Relu layer, by tensor name. */
  Map<String, double[]> reluOutputs(float[] x, int batch) {
    Map<String, double[]> r = new java.util.LinkedHashMap<>();
    try (NDManager sub = manager.newSubManager()) {
      Map<String, NDArray> t = new HashMap<>();
      t.put("x", sub.create(x, new Shape(batch, net.channels, net.size, net.size)).toType(type, false));
      forwardInto(t);
      for (Layer l : net.layers) {
        if (l instanceof Layer.Relu rl) {
          r.put(rl.out(), t.get(rl.out()).toType(DataType.FLOAT64, false).toDoubleArray());
        }
      }
    }
    return r;
  }

  /** Logits only, no gradient tracking. */
  float[] logits(float[] x, int batch) {
    try (NDManager sub = manager.newSubManager()) {
      NDArray in = sub.create(x, new Shape(batch, net.channels, net.size, net.size)).toType(type, false);
      return forward(in).toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  /** One synthesis step: returns the input gradient of Σ_n loss_n. */
  float[] step(float[] x, float[] target, float[] wCe, float[] wLogit, int batch) {
    try (NDManager sub = manager.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray in = sub.create(x, new Shape(batch, net.channels, net.size, net.size)).toType(type, false);
      in.setRequiresGradient(true);
      NDArray z = forward(in);
      NDArray t = sub.create(target, new Shape(batch, net.classes)).toType(type, false);
      NDArray wl = sub.create(wLogit, new Shape(batch, net.classes)).toType(type, false);
      NDArray wc = sub.create(wCe, new Shape(batch)).toType(type, false);
      NDArray ce = t.mul(z.logSoftmax(1)).sum(new int[] {1}).neg();
      NDArray loss = wc.mul(ce).sub(wl.mul(z).sum(new int[] {1}));
      gc.backward(loss.sum());
      return in.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
