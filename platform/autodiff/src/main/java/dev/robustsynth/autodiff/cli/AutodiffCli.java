package dev.robustsynth.autodiff.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
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
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Command line of the gradient compiler: {@code compile} writes {@code synthesis.onnx}, {@code forward.onnx} and
 * {@code signature.json}; {@code layers} lists the activations that can be exposed.
 *
 * <p>Exit status: 0 success, 1 the model cannot be compiled or read, 2 usage error.
 */
@Command(name = "rsynth-autodiff", subcommands = {AutodiffCli.Compile.class, AutodiffCli.Layers.class},
    description = "Compiles an ONNX classifier into its synthesis (input-gradient) and forward graphs.")
public final class AutodiffCli implements Callable<Integer> {
  private static final ObjectWriter SIGNATURE_WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withArrayValueSpacing(Separators.Spacing.AFTER))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter()));

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new AutodiffCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
        .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("error: " + e.getMessage());
      e.getCommandLine().usage(e.getCommandLine().getErr());
      return CommandLine.ExitCode.USAGE;
    });
    cli.setExecutionExceptionHandler((e, c, p) -> {
      if (!(e instanceof CompileException || e instanceof IOException || e instanceof UncheckedIOException)) {
        throw e;
      }
      c.getErr().println("error: " + (e instanceof CompileException ? e.getMessage() : e.toString()));
      return CommandLine.ExitCode.SOFTWARE;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command: compile or layers");
  }

  /** The signature as the text of {@code signature.json}. */
  static String json(ModelSignature s) {
    try {
      return SIGNATURE_WRITER.writeValueAsString(SignatureFile.of(s)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A subcommand on one model file. */
  abstract static class OnModel implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<model.onnx>")
    Path model;

    ModelProto read() throws IOException {
      try (InputStream in = Files.newInputStream(model)) {
        return ModelProto.parseFrom(in);
      }
    }
  }

  @Command(name = "layers", description = "Lists the activations that can be exposed: name, operator, per-example shape.")
  static final class Layers extends OnModel {
    @Override
    public Integer call() throws IOException, CompileException {
      PrintWriter out = spec.commandLine().getOut();
      for (LayerInfo l : SynthesisCompiler.layers(read())) {
        out.println(l.name() + "\t" + l.op() + "\t" + l.shape());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "compile", description = "Writes <dir>/synthesis.onnx, <dir>/forward.onnx and <dir>/signature.json.")
  static final class Compile extends OnModel {
    @Option(names = "--out", required = true, paramLabel = "<dir>")
    Path dir;

    @Option(names = "--expose", paramLabel = "<name>", description = "an activation to expose (repeatable)")
    List<String> expose = new ArrayList<>();

    @Option(names = "--opset", paramLabel = "<16..18>")
    int opset = CompileOptions.DEFAULT_OPSET;

    @Option(names = "--target", paramLabel = "cpu|cuda")
    ExecutionTarget target = ExecutionTarget.CPU;

    @Override
    public Integer call() throws IOException, CompileException {
      CompileOptions options;
      try {
        options = new CompileOptions(expose, opset, target);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      CompiledModel c = SynthesisCompiler.compile(read(), options);
      Files.createDirectories(dir);
      Files.write(dir.resolve("synthesis.onnx"), c.synthesis().toByteArray());
      Files.write(dir.resolve("forward.onnx"), c.forward().toByteArray());
      Files.writeString(dir.resolve("signature.json"), json(c.signature()));
      ModelSignature s = c.signature();
      spec.commandLine().getOut().printf(
          "compiled %s: synthesis %d nodes, forward %d nodes, input [N,%d,%d,%d], %d classes -> %s%n",
          model.getFileName(), c.synthesis().getGraph().getNodeCount(), c.forward().getGraph().getNodeCount(),
          s.channels(), s.height(), s.width(), s.classes(), dir);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
