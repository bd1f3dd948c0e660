package dev.robustsynth.bench;

/** One layer of a benchmark network, by tensor names; both the ONNX writer and DJL interpret it. */
sealed interface Layer permits Layer.Conv, Layer.Bn, Layer.Relu, Layer.Add, Layer.MaxPool, Layer.GlobalAvgPool,
    Layer.Fc {

  /** Convolution without bias; weight [out, in/groups, k, k]. */
  record Conv(String in, String out, String weight, int kernel, int stride, int pad) implements Layer {}

  /** Inference batch norm with parameters prefix.{scale,bias,mean,var}. */
  record Bn(String in, String out, String prefix) implements Layer {}

  record Relu(String in, String out) implements Layer {}

  record Add(String a, String b, String out) implements Layer {}

  record MaxPool(String in, String out, int kernel, int stride, int pad) implements Layer {}

  /** Global average pooling flattened to [N, C]. */
  record GlobalAvgPool(String in, String out) implements Layer {}

  /** Fully connected: weight [out, in], bias [out]. */
  record Fc(String in, String out, String weight, String bias) implements Layer {}
}
