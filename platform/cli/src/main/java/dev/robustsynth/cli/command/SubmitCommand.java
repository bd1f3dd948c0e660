package dev.robustsynth.cli.command;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.cli.WireFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsynth submit}: publish a request, follow it, write its images. */
@Command(name = "submit", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Submit a task, show its progress on stderr, write the result's images as PNG files "
                + "(<out>/<id>-<role>-<index>.png) and the result JSON (<out>/<id>.json).",
            "Parameter values are parsed as JSON when they parse (numbers, booleans, arrays, objects), else taken as strings."},
        footer = {"%nExamples:",
            "  rsynth submit --type generate --model fashion-robust-l2 --param class=sneaker --param steps=60 --seed 7 --out results/",
            "  rsynth submit -t inpaint -m cifar10-robust-l2 --image image=damaged.png --image mask=mask.png --param 'eps=40'"})
public final class SubmitCommand implements Callable<Integer> {
    /** The progress cadence {@code --previews} asks for without {@code --progress-every}: the six tasks' default. */
    static final int DEFAULT_PREVIEW_EVERY = 10;

    @ParentCommand
    RsynthCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = {"-t", "--type"}, required = true, completionCandidates = TaskTypeCandidates.class,
            description = "Task type: ${COMPLETION-CANDIDATES} (what `rsynth tasks` lists: the types the service "
                    + "serves, or the local schemas when it does not answer).")
    String type;

    @Option(names = {"-m", "--model"}, description = "Model name (default: the service's default model).")
    String model;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A task parameter; repeatable; overrides --params-file.")
    List<String> params = new ArrayList<>();

    @Option(names = "--params-file", paramLabel = "FILE", description = "A JSON object of task parameters.")
    Path paramsFile;

    @Option(names = {"-i", "--image"}, paramLabel = "NAME=FILE",
            description = "An image parameter, sent inline as base64 (PNG/JPEG as they are, other formats re-encoded as PNG); repeatable.")
    List<String> images = new ArrayList<>();

    @Option(names = "--image-ref", paramLabel = "NAME=FILE",
            description = "An image parameter sent by reference ({\"uri\": \"file:///…\"}): the service must see the same file system.")
    List<String> imageRefs = new ArrayList<>();

    @Option(names = "--seed", description = "Random seed (default: the service derives one from the id).")
    Long seed;

    @Option(names = "--priority", description = "Scheduling priority (higher first).")
    Integer priority;

    @Option(names = "--deadline", paramLabel = "INSTANT|DURATION",
            description = "When the service should give up: an ISO instant (2026-11-26T18:00:00Z) or a duration from now (10m).")
    String deadline;

    @Option(names = "--id", description = "Task id (default: rsynth-<uuid>); also the record key.")
    String id;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".", description = "Where result files go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for the result (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--cancel-on-timeout", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Send a cancel when --timeout passes (default: ${DEFAULT-VALUE}).")
    boolean cancelOnTimeout;

    @Option(names = "--progress", defaultValue = "AUTO",
            description = "Progress display: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: a bar on a terminal, else lines).")
    ProgressDisplay.Mode progress;

    @Option(names = "--progress-every", paramLabel = "N",
            description = "Ask for a progress event every N steps (request progress.every; the service raises N to "
                    + "ceil(steps / 50), at most 50 events per synthesis). Default: the task's own cadence.")
    Integer progressEvery;

    @Option(names = "--previews",
            description = "Ask for up to four small current images in each progress event (request "
                    + "progress.previews; every " + DEFAULT_PREVIEW_EVERY + " steps unless --progress-every says "
                    + "otherwise); the progress display counts them.")
    boolean previews;

    @Option(names = "--no-wait", description = "Print the id once the request is published and exit 0.")
    boolean noWait;

    @Option(names = "--dry-run", description = "Print the request JSON and exit without contacting Kafka.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        PrintWriter outWriter = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TaskSubmission task;
        try {
            task = buildSubmission();
        } catch (IllegalArgumentException e) {
            err.println("rsynth: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        if (dryRun) {
            outWriter.println(WireFormat.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(WireFormat.requestJson(task)));
            outWriter.flush();
            return ExitCodes.SUCCEEDED;
        }
        try (RsynthClient client = new RsynthClient(kafka.configBuilder().build());
             CancelOnExit cancelOnExit = new CancelOnExit(client, task.id(), err, root.cancelOnInterrupt && !noWait)) {
            client.submit(task);
            cancelOnExit.arm();
            err.println("rsynth: submitted " + task.id() + " (" + task.type() + task.model().map(m -> ", " + m).orElse("")
                    + ") to " + client.config().topics().tasks() + " at " + client.config().bootstrapServers());
            err.flush();
            if (noWait) {
                outWriter.println(task.id());
                outWriter.flush();
                return ExitCodes.SUCCEEDED;
            }
            return TaskFollowing.follow(client, task.id(), new TaskFollowing.Settings(timeout, out, progress,
                    cancelOnTimeout), outWriter, err);
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }

    /** The request the options describe; IllegalArgumentException for malformed options, IOException for unreadable files. */
    TaskSubmission buildSubmission() throws IOException {
        TaskSubmission.Builder b = TaskSubmission.builder(type);
        if (id != null) {
            b.id(id);
        }
        if (model != null) {
            b.model(model);
        }
        if (paramsFile != null) {
            b.params(RequestOptions.readParamsFile(paramsFile));
        }
        for (String p : params) {
            String[] kv = RequestOptions.splitAssignment("--param", p);
            b.param(kv[0], RequestOptions.parseValue(kv[1]));
        }
        for (String i : images) {
            String[] kv = RequestOptions.splitAssignment("--image", i);
            b.image(kv[0], RequestOptions.readImage(Path.of(kv[1])));
        }
        for (String i : imageRefs) {
            String[] kv = RequestOptions.splitAssignment("--image-ref", i);
            Path file = Path.of(kv[1]).toAbsolutePath();
            if (!java.nio.file.Files.isReadable(file)) {
                throw new IOException("image file " + file + " does not exist or is not readable");
            }
            b.imageUri(kv[0], file.toUri());
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (priority != null) {
            b.priority(priority);
        }
        if (deadline != null) {
            b.deadline(parseDeadline(deadline));
        }
        if (progressEvery != null || previews) {
            if (progressEvery != null && progressEvery < 1) {
                throw new IllegalArgumentException("--progress-every must be at least 1, got " + progressEvery);
            }
            b.progress(progressEvery != null ? progressEvery : DEFAULT_PREVIEW_EVERY, previews);
        }
        return b.build();
    }

    private static Instant parseDeadline(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return Instant.now().plus(DurationConverter.parse(text));
            } catch (RuntimeException notDuration) {
                throw new IllegalArgumentException("--deadline '" + text
                        + "' is neither an ISO instant (2026-11-26T18:00:00Z) nor a duration (10m)");
            }
        }
    }
}
