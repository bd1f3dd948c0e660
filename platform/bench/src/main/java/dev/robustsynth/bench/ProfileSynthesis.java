package dev.robustsynth.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.SynthesisCompiler;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the synthesis step spends its time: runs the synthesis graph with ORT's profiler and sums
 * kernel time per operator type and the top nodes ({@code -Dprofile.top=N}, default 15), with the bench's session
 * options. {@code -Dprofile.optimized=FILE} also writes the graph ORT runs after its fusions. Args: [model] [threads]
 * [steps] [batch].
 */
public final class ProfileSynthesis {
  private ProfileSynthesis() {}

  public static void main(String[] args) throws Exception {
    String model = args.length > 0 ? args[0] : "resnet9";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    Net net = Net.named(model);
    ModelProto plain = OnnxWriter.write(net);
    CompiledModel c = SynthesisCompiler.compile(plain, CompileOptions.defaults());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Path prefix = Files.createTempDirectory("ortprof").resolve("synth");
    int k = net.classes;
    float[] x = new float[batch * net.channels * net.size * net.size];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    float[] t = new float[batch * k];
    float[] wc = new float[batch];
    java.util.Arrays.fill(wc, 1f);
    for (int n = 0; n < batch; n++) {
      t[n * k + n % k] = 1;
    }
    String file;
    try (OrtSession.SessionOptions so = GradientBench.options(threads)) {
      String optimized = System.getProperty("profile.optimized");
      if (optimized != null) {
        so.setOptimizedModelFilePath(optimized);
      }
      so.enableProfiling(prefix.toString());
      try (OrtSession s = env.createSession(c.synthesis().toByteArray(), so);
          OnnxTensor tx = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, net.channels, net.size,
              net.size});
          OnnxTensor tt = OnnxTensor.createTensor(env, FloatBuffer.wrap(t), new long[] {batch, k});
          OnnxTensor tw = OnnxTensor.createTensor(env, FloatBuffer.wrap(wc), new long[] {batch});
          OnnxTensor tl = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[batch * k]), new long[] {batch, k})) {
        for (int i = 0; i < steps + 1; i++) {
          s.run(Map.of("x", tx, "target", tt, "w_ce", tw, "w_logit", tl)).close();
        }
        file = s.endProfiling();
      }
    }
    String json = Files.readString(Path.of(file));
    Pattern p = Pattern.compile("\"dur\"\\s*:\\s*(\\d+).*?\"name\"\\s*:\\s*\"([^\"]*)_kernel_time\".*?\"op_name\"\\s*:\\s*\"([^\"]*)\"");
    Map<String, Long> byOp = new TreeMap<>();
    Map<String, Long> byNode = new TreeMap<>();
    long total = 0;
    Matcher m = p.matcher(json);
    while (m.find()) {
      long us = Long.parseLong(m.group(1));
      byOp.merge(m.group(3), us, Long::sum);
      byNode.merge(m.group(2) + " (" + m.group(3) + ")", us, Long::sum);
      total += us;
    }
    System.out.printf("%s batch %d, %d threads: kernel time per step %.1f ms (first step included / %d)%n", net.name,
        batch, threads, total / 1000.0 / (steps + 1), steps + 1);
    final long all = total;
    byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e ->
        System.out.printf("  %-22s %8.1f ms/step %5.1f%%%n", e.getKey(), e.getValue() / 1000.0 / (steps + 1),
            100.0 * e.getValue() / all));
    System.out.println("top nodes:");
    byNode.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(Integer.getInteger("profile.top", 15)).forEach(e ->
        System.out.printf("  %-60s %8.1f ms/step%n", e.getKey(), e.getValue() / 1000.0 / (steps + 1)));
    Files.deleteIfExists(Path.of(file));
  }
}
