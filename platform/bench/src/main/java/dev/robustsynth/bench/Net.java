package dev.robustsynth.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A benchmark network: layers plus random but fixed-seed parameters, defined once so that the
 * ONNX model and the DJL forward use the same weights.
 */
final class Net {
  /** A parameter tensor. */
  record Param(long[] dims, float[] data) {}

  static final float BN_EPS = 1e-5f;

  final String name;
  final int channels;
  final int size;
  final int classes;
  final List<Layer> layers = new ArrayList<>();
  final Map<String, Param> params = new LinkedHashMap<>();
  private final Random random;
  private int count;
  private String last = "x";

  private Net(String name, int channels, int size, int classes, long seed) {
    this.name = name;
    this.channels = channels;
    this.size = size;
    this.classes = classes;
    this.random = new Random(seed);
  }

  String output() {
    return last;
  }

  /** The bench's models by name: resnet18, resnet9, resnet18-maxpool, resnet18-224. */
  static Net named(String model) {
    return switch (model) {
      case "resnet18" -> resnet18(42);
      case "resnet9" -> resnet9(16, 42);
      case "resnet18-maxpool" -> resnet18MaxPoolStem(42);
      case "resnet18-224" -> resnet18Imagenet(42);
      default -> throw new IllegalArgumentException(
          "unknown model " + model + " (resnet18, resnet9, resnet18-maxpool, resnet18-224)");
    };
  }

  /** CIFAR ResNet-18 (3×3 stem, no max-pool, stages 64-128-256-512, two basic blocks each). */
  static Net resnet18(long seed) {
    Net n = new Net("resnet18-cifar", 3, 32, 10, seed);
    int c = n.convBnRelu(3, 64, 3, 1);
    int[] widths = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      c = n.basicBlock(c, widths[s], s == 0 ? 1 : 2);
      c = n.basicBlock(c, widths[s], 1);
    }
    n.head(c);
    return n;
  }

  /** ResNet-9 of width w (Page's DAWNBench net): max-pool stages, two residual blocks. */
  static Net resnet9(int w, long seed) {
    Net n = new Net("resnet9-w" + w, 3, 32, 10, seed);
    int c = n.convBnRelu(3, w, 3, 1);
    c = n.convBnRelu(c, 2 * w, 3, 1);
    n.maxPool(2, 2, 0);
    c = n.residual(c);
    c = n.convBnRelu(c, 4 * w, 3, 1);
    n.maxPool(2, 2, 0);
    c = n.convBnRelu(c, 8 * w, 3, 1);
    n.maxPool(2, 2, 0);
    c = n.residual(c);
    n.maxPool(4, 4, 0);
    n.head(c);
    return n;
  }

  /** ResNet-18 with the ImageNet stem's overlapping 3×3/s2 max-pool (exercises the index path). */
  static Net resnet18MaxPoolStem(long seed) {
    Net n = new Net("resnet18-maxpool-stem", 3, 64, 10, seed);
    int c = n.convBnRelu(3, 64, 3, 1);
    n.maxPool(3, 2, 1);
    int[] widths = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      c = n.basicBlock(c, widths[s], s == 0 ? 1 : 2);
      c = n.basicBlock(c, widths[s], 1);
    }
    n.head(c);
    return n;
  }

  /**
   * ImageNet ResNet-18 at 224×224: 7×7/s2 stem, 3×3/s2/p1 max-pool, stages 64–512, 1000 classes
   * (torchvision's layout, 11.7 M parameters).
   */
  static Net resnet18Imagenet(long seed) {
    Net n = new Net("resnet18-imagenet-224", 3, 224, 1000, seed);
    int c = n.convBnRelu(3, 64, 7, 2);
    n.maxPool(3, 2, 1);
    int[] widths = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      c = n.basicBlock(c, widths[s], s == 0 ? 1 : 2);
      c = n.basicBlock(c, widths[s], 1);
    }
    n.head(c);
    return n;
  }

  private String fresh(String what) {
    return what + count++;
  }

  private Param normal(String name, double std, long... dims) {
    int len = 1;
    for (long d : dims) {
      len *= (int) d;
    }
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    Param p = new Param(dims, v);
    params.put(name, p);
    return p;
  }

  private String conv(String in, int cin, int cout, int k, int stride, double gain) {
    String w = fresh("w");
    normal(w, gain * Math.sqrt(2.0 / (cin * k * k)), cout, cin, k, k);
    String out = fresh("conv");
    layers.add(new Layer.Conv(in, out, w, k, stride, k / 2));
    return out;
  }

  private String bn(String in, int c) {
    String p = fresh("bn");
    float[] scale = new float[c];
    float[] bias = new float[c];
    float[] mean = new float[c];
    float[] var = new float[c];
    for (int i = 0; i < c; i++) {
      scale[i] = (float) (1 + 0.1 * random.nextGaussian());
      bias[i] = (float) (0.1 * random.nextGaussian());
      mean[i] = (float) (0.1 * random.nextGaussian());
      var[i] = (float) (0.5 + random.nextDouble());
    }
    params.put(p + ".scale", new Param(new long[] {c}, scale));
    params.put(p + ".bias", new Param(new long[] {c}, bias));
    params.put(p + ".mean", new Param(new long[] {c}, mean));
    params.put(p + ".var", new Param(new long[] {c}, var));
    String out = fresh("bnout");
    layers.add(new Layer.Bn(in, out, p));
    return out;
  }

  private String relu(String in) {
    String out = fresh("relu");
    layers.add(new Layer.Relu(in, out));
    return out;
  }

  private int convBnRelu(int cin, int cout, int k, int stride) {
    last = relu(bn(conv(last, cin, cout, k, stride, 1.0), cout));
    return cout;
  }

  private void maxPool(int k, int s, int p) {
    String out = fresh("pool");
    layers.add(new Layer.MaxPool(last, out, k, s, p));
    last = out;
  }

  private int basicBlock(int cin, int cout, int stride) {
    String in = last;
    String y = relu(bn(conv(in, cin, cout, 3, stride, 1.0), cout));
    y = bn(conv(y, cout, cout, 3, 1, 0.5), cout);
    String shortcut = in;
    if (stride != 1 || cin != cout) {
      shortcut = bn(conv(in, cin, cout, 1, stride, 1.0), cout);
    }
    String sum = fresh("add");
    layers.add(new Layer.Add(y, shortcut, sum));
    last = relu(sum);
    return cout;
  }

  private int residual(int c) {
    String in = last;
    convBnRelu(c, c, 3, 1);
    convBnRelu(c, c, 3, 1);
    String sum = fresh("add");
    layers.add(new Layer.Add(last, in, sum));
    last = sum;
    return c;
  }

  private void head(int c) {
    String pooled = fresh("gap");
    layers.add(new Layer.GlobalAvgPool(last, pooled));
    String w = fresh("fcw");
    String b = fresh("fcb");
    normal(w, Math.sqrt(1.0 / c), classes, c);
    normal(b, 0.01, classes);
    layers.add(new Layer.Fc(pooled, "logits", w, b));
    last = "logits";
  }

  long parameterCount() {
    return params.values().stream().mapToLong(p -> p.data().length).sum();
  }
}
