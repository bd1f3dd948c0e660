package dev.robustsynth.bench;

import ai.djl.engine.Engine;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.management.ManagementFactory;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.SynthesisCompiler;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Gradient steps per second of the compiled synthesis graph in ONNX Runtime against libtorch
 * autograd through DJL, same network, same weights, same thread count, measured interleaved in one
 * run; plus classification (logits only) through the forward graph against the plain model.
 *
 * <pre>
 * args: [resnet18 | resnet9 | resnet18-maxpool | resnet18-224] [threads, default 2] [timed repetitions, default 10] [batch, default 32]
 * </pre>
 *
 * With 0 repetitions it checks correctness only ({@link Agreement}). With {@code -Dbench.memory=ort} or
 * {@code djl} it runs only that engine's gradient step three times and prints the peak resident set
 * (two runs at different batch sizes give the memory per batch item).
 */
public final class GradientBench {
  private GradientBench() {}

  public static void main(String[] args) throws Exception {
    String model = args.length > 0 ? args[0] : "resnet18";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Net net = Net.named(model);
    ModelProto plain = OnnxWriter.write(net);
    long t0 = System.nanoTime();
    CompiledModel compiled = SynthesisCompiler.compile(plain, CompileOptions.defaults());
    double compileMs = (System.nanoTime() - t0) / 1e6;

    int k = net.classes;
    int pixels = net.channels * net.size * net.size;
    Random r = new Random(1);
    float[] x = new float[batch * pixels];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    float[] target = new float[batch * k];
    float[] wLogit = new float[batch * k];
    float[] wCe = new float[batch];
    for (int n = 0; n < batch; n++) {
      target[n * k + n % k] = 1;
      wCe[n] = 1;
      for (int j = 0; j < k; j++) {
        wLogit[n * k + j] = (float) (0.01 * r.nextGaussian());
      }
    }

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = options(threads);
        OrtSession synth = env.createSession(compiled.synthesis().toByteArray(), so);
        OrtSession forward = env.createSession(compiled.forward().toByteArray(), so);
        OrtSession plainSession = env.createSession(plain.toByteArray(), so);
        OnnxTensor tx = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, net.channels, net.size,
            net.size});
        OnnxTensor tt = OnnxTensor.createTensor(env, FloatBuffer.wrap(target), new long[] {batch, k});
        OnnxTensor tc = OnnxTensor.createTensor(env, FloatBuffer.wrap(wCe), new long[] {batch});
        OnnxTensor tl = OnnxTensor.createTensor(env, FloatBuffer.wrap(wLogit), new long[] {batch, k});
        DjlNet djl = new DjlNet(net)) {
      Map<String, OnnxTensor> synthIn = Map.of("x", tx, "target", tt, "w_ce", tc, "w_logit", tl);
      Map<String, OnnxTensor> xIn = Map.of("x", tx);
      float[] grad = new float[x.length];

      Map<String, Runnable> cases = new java.util.LinkedHashMap<>();
      cases.put("ort synthesis step", () -> run(synth, synthIn, Set.of("logits", "loss", "grad_x"), "grad_x", grad));
      cases.put("djl autograd step", () -> djl.step(x, target, wCe, wLogit, batch));
      cases.put("ort forward graph logits", () -> run(forward, xIn, Set.of("logits"), null, null));
      cases.put("ort plain model logits", () -> run(plainSession, xIn, Set.of("logits"), null, null));
      cases.put("ort synthesis graph logits only", () -> run(synth, synthIn, Set.of("logits"), null, null));
      cases.put("djl logits", () -> djl.logits(x, batch));

      String memory = System.getProperty("bench.memory");
      if (memory != null) {
        Runnable step = cases.get(memory.equals("djl") ? "djl autograd step" : "ort synthesis step");
        for (int i = 0; i < 3; i++) {
          step.run();
        }
        System.out.printf("memory %s batch %d: VmHWM %d KiB%n", memory, batch, vmHwmKib());
        return;
      }
      float[] ortGrad = new float[x.length];
      run(synth, synthIn, Set.of("grad_x"), "grad_x", ortGrad);
      float[] djlGrad = djl.step(x, target, wCe, wLogit, batch);
      float[] ortLogits = logits(forward, xIn);
      float[] djlLogits = djl.logits(x, batch);

      System.out.printf("agreement ORT vs DJL: grad_x max rel error %.2e, L2 rel error %.2e; logits max rel error %.2e%n",
          relError(ortGrad, djlGrad), l2Error(ortGrad, djlGrad), relError(ortLogits, djlLogits));
      if (reps == 0) {
        Agreement.explain(net, plain, so, new Agreement.Inputs(x, target, wCe, wLogit, batch), ortGrad);
        return;
      }
      Timings t = Timings.measure(cases, reps);
      System.out.printf("%nmodel %s (%,d parameters), batch %d, input %dx%dx%d, %d threads (ORT intra-op and "
          + "libtorch), %d timed repetitions interleaved, %d CPUs visible, load average %.1f%n", net.name,
          net.parameterCount(), batch, net.channels, net.size, net.size, threads, reps,
          Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.printf("ONNX Runtime %s, DJL %s engine %s; compile took %.0f ms; synthesis graph %d nodes, "
          + "forward graph %d nodes, plain %d nodes%n", OrtEnvironment.getEnvironment().getVersion(),
          Engine.getDjlVersion(), Engine.getInstance().getVersion(), compileMs,
          compiled.synthesis().getGraph().getNodeCount(), compiled.forward().getGraph().getNodeCount(),
          plain.getGraph().getNodeCount());
      t.print();
      t.ratio("gradient steps/s ORT synthesis / DJL autograd", "djl autograd step", "ort synthesis step");
      t.ratio("logits-only cost forward graph / plain model", "ort forward graph logits", "ort plain model logits");
      t.ratio("(synthesis graph asked for logits only / plain model: ORT does not prune)",
          "ort synthesis graph logits only", "ort plain model logits");
    }
  }

  /** Peak resident set of this process (Linux), KiB. */
  static long vmHwmKib() throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static OrtSession.SessionOptions options(int threads) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(threads);
    so.setInterOpNumThreads(1);
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    // ORT's idle workers spin by default and would steal the cores libtorch runs on next
    so.addConfigEntry("session.intra_op.allow_spinning", "0");
    return so;
  }

  private static void run(OrtSession s, Map<String, OnnxTensor> in, Set<String> outs, String copy, float[] into) {
    try (OrtSession.Result r = s.run(in, outs)) {
      if (copy != null) {
        ((OnnxTensor) r.get(copy).orElseThrow()).getFloatBuffer().get(into);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  private static float[] logits(OrtSession s, Map<String, OnnxTensor> in) throws OrtException {
    try (OrtSession.Result r = s.run(in, Set.of("logits"))) {
      FloatBuffer b = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer();
      float[] v = new float[b.remaining()];
      b.get(v);
      return v;
    }
  }

  /** ‖a − b‖₂ / ‖b‖₂. */
  static double l2Error(float[] a, float[] b) {
    double d = 0;
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      d += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
      s += (double) b[i] * b[i];
    }
    return Math.sqrt(d / Math.max(s, 1e-300));
  }

  static double relError(float[] a, float[] b) {
    double d = 0;
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs((double) a[i] - b[i]));
      s = Math.max(s, Math.abs(b[i]));
    }
    return d / Math.max(s, 1e-30);
  }
}
