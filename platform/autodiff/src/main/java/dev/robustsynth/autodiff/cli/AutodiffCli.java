package dev.robustsynth.autodiff.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.ExecutionTarget;
import dev.robustsynth.autodiff.LayerInfo;
import dev.robustsynth.autodiff.ModelSignature;
import dev.robustsynth.autodiff.SynthesisCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Command line of the gradient compiler.
 *
 * <pre>
 * compile &lt;model.onnx&gt; --out &lt;dir&gt; [--expose name]... [--opset 17] [--target cpu|cuda]
 *     writes dir/synthesis.onnx, dir/forward.onnx and dir/signature.json
 * layers &lt;model.onnx&gt;
 *     lists the activations that can be exposed, one per line: name, operator, per-example shape
 * </pre>
 *
 * Exit status: 0 success, 1 the model cannot be compiled or read, 2 usage error.
 */
public final class AutodiffCli {
  static final String USAGE = """
      usage: rsynth-autodiff compile <model.onnx> --out <dir> [--expose <name>]... [--opset <16..18>] [--target cpu|cuda]
             rsynth-autodiff layers <model.onnx>""";

  private AutodiffCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      err.println(USAGE);
      return 2;
    }
    try {
      return switch (args[0]) {
        case "compile" -> compile(args, out, err);
        case "layers" -> layers(Path.of(args[1]), args.length, out, err);
        default -> usage(err, "unknown command '" + args[0] + "'");
      };
    } catch (CompileException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("error: " + e);
      return 1;
    }
  }

  private static int usage(PrintStream err, String message) {
    err.println("error: " + message);
    err.println(USAGE);
    return 2;
  }

  private static ModelProto read(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return ModelProto.parseFrom(in);
    }
  }

  private static int layers(Path model, int argc, PrintStream out, PrintStream err)
      throws IOException, CompileException {
    if (argc != 2) {
      return usage(err, "layers takes one model file");
    }
    for (LayerInfo l : SynthesisCompiler.layers(read(model))) {
      out.println(l.name() + "\t" + l.op() + "\t" + l.shape());
    }
    return 0;
  }

  private static int compile(String[] args, PrintStream out, PrintStream err) throws IOException, CompileException {
    Path model = Path.of(args[1]);
    Path dir = null;
    List<String> expose = new ArrayList<>();
    int opset = CompileOptions.DEFAULT_OPSET;
    ExecutionTarget target = ExecutionTarget.CPU;
    for (int i = 2; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        return usage(err, flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--out" -> dir = Path.of(value);
        case "--expose" -> expose.add(value);
        case "--target" -> {
          try {
            target = ExecutionTarget.valueOf(value.toUpperCase(java.util.Locale.ROOT));
          } catch (IllegalArgumentException e) {
            return usage(err, "--target is cpu or cuda, got '" + value + "'");
          }
        }
        case "--opset" -> {
          try {
            opset = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            return usage(err, "--opset needs a number, got '" + value + "'");
          }
        }
        default -> {
          return usage(err, "unknown option '" + flag + "'");
        }
      }
    }
    if (dir == null) {
      return usage(err, "--out is required");
    }
    CompileOptions options;
    try {
      options = new CompileOptions(expose, opset, target);
    } catch (IllegalArgumentException e) {
      return usage(err, e.getMessage());
    }
    CompiledModel c = SynthesisCompiler.compile(read(model), options);
    Files.createDirectories(dir);
    Files.write(dir.resolve("synthesis.onnx"), c.synthesis().toByteArray());
    Files.write(dir.resolve("forward.onnx"), c.forward().toByteArray());
    Files.writeString(dir.resolve("signature.json"), json(c.signature()));
    out.printf("compiled %s: synthesis %d nodes, forward %d nodes, input [N,%d,%d,%d], %d classes -> %s%n",
        model.getFileName(), c.synthesis().getGraph().getNodeCount(), c.forward().getGraph().getNodeCount(),
        c.signature().channels(), c.signature().height(), c.signature().width(), c.signature().classes(), dir);
    return 0;
  }

  /** The signature as JSON (written by hand: the module has no JSON dependency). */
  static String json(ModelSignature s) {
    String layers = s.exposed().stream()
        .map(l -> "{\"name\": " + quote(l.name()) + ", \"op\": " + quote(l.op()) + ", \"shape\": " + l.shape() + "}")
        .collect(Collectors.joining(", "));
    return "{\n  \"compilerVersion\": " + quote(s.compilerVersion()) + ",\n  \"opset\": " + s.opset()
        + ",\n  \"input\": {\"channels\": " + s.channels() + ", \"height\": " + s.height() + ", \"width\": " + s.width()
        + "},\n  \"classes\": " + s.classes() + ",\n  \"exposed\": [" + layers + "]\n}\n";
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
