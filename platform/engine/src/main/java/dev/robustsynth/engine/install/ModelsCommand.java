package dev.robustsynth.engine.install;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code models add <model.onnx> --name N --classes <file or list> --images <dir> [--threat-model l2:EPS]
 * [--expose LAYER]... [--input-range 0:1|0:255|-1:1|imagenet] [--models-dir models]}: {@link ModelInstaller} on the command line. Exit 0 installed, 1
 * refused (the reason on stderr), 2 usage.
 */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Manage served models.",
        subcommands = {ModelsCommand.Add.class})
public final class ModelsCommand {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new ModelsCommand());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Add a classifier: check and compile its"
            + " graph, write model.json, fit seeds from --images, run a smoke synthesis, move it into --models-dir."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "input [N,C,H,W] float")
        Path onnx;

        @Option(names = "--name", required = true, description = "model name and directory name")
        String name;

        @Option(names = "--classes", required = true, paramLabel = "FILE|LIST",
                description = "a file with one class name per line, or a comma-separated list, in logit order")
        String classes;

        @Option(names = "--images", required = true, paramLabel = "DIR", description = "one sub-folder per class")
        Path images;

        @Option(names = "--threat-model", paramLabel = "l2:EPS", description = "e.g. l2:3.0 (robust models)")
        String threatModel;

        @Option(names = "--expose", paramLabel = "LAYER", description = "a layer to expose (repeatable)")
        List<String> expose = new ArrayList<>();

        @Option(names = "--input-range", paramLabel = "0:1|0:255|-1:1|imagenet", converter = RangeConverter.class,
                description = {"the pixel range the model expects; the served graph maps the engine's [0,1] onto it.",
                    "Without it, [0,1] is checked on --images and another range that classifies them clearly better"
                    + " is refused, naming it"})
        InputRange inputRange;

        @Option(names = "--models-dir", defaultValue = "models", description = "default: ${DEFAULT-VALUE}")
        Path modelsDir;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> names = Files.isRegularFile(Path.of(classes))
                    ? Files.readAllLines(Path.of(classes)).stream().map(String::strip).filter(s -> !s.isEmpty()).toList()
                    : Arrays.stream(classes.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            try {
                ModelInstaller.Summary s = ModelInstaller.install(new ModelInstaller.Request(onnx, name, names, images,
                        Optional.ofNullable(threatModel), expose, modelsDir, Optional.ofNullable(inputRange)));
                out.print(s.text());
                out.flush();
                return 0;
            } catch (ModelInstaller.RefusedException e) {
                err.println("models add: refused: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    static final class RangeConverter implements CommandLine.ITypeConverter<InputRange> {
        @Override
        public InputRange convert(String value) {
            try {
                return InputRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
