package dev.robustsynth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.ItemSource;
import dev.robustsynth.cli.JobRequest;
import dev.robustsynth.cli.JobState;
import dev.robustsynth.cli.JobStatus;
import dev.robustsynth.cli.JobStatusStream;
import dev.robustsynth.cli.MalformedMessageException;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import dev.robustsynth.cli.WireFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsynth job submit}: publish a bulk job (job.v1) from a file or from flags, print its id, maybe follow it. */
@Command(name = "submit", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Submit a bulk job on rsynth.jobs and print its id on stdout; --watch follows it like `job watch`.",
            "Items: --file job.json (job.v1), or one of --classes/--count (generator), --folder, --manifest.",
            "With --file, --id/--type/--model/--seed/--window/--priority replace the file's and --param is merged over "
                + "its params. Refused locally: an id whose latest status is not FAILED (JOB_ID_IN_USE)."},
        footer = {"%nExamples:",
            "  rsynth job submit --file job.json --watch",
            "  rsynth job submit -t generate -m fashion-robust-l2 --classes sneaker,bag --count 5000 -p steps=10 --seed 7",
            "  rsynth job submit -t superres --folder /data/in/shoes --image-param image -p factor=4 --window 32"})
public final class JobSubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    JobOptions follow;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A job.v1 JSON document.")
    Path file;

    @Option(names = {"-t", "--type"}, description = "Task type of every item.")
    String type;

    @Option(names = {"-m", "--model"}, description = "Model name (default: the service's default model).")
    String model;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
            description = "A parameter shared by every item (parsed as JSON when it parses); repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--classes", paramLabel = "A,B,…", split = ",",
            description = "Generator items: --count items per class, classes in round-robin order.")
    List<String> classes;

    @Option(names = "--count", paramLabel = "N", description = "Generator items per class.")
    Integer count;

    @Option(names = "--folder", paramLabel = "DIR|file:URI",
            description = "One item per *.png/*.jpg of this folder, which the service must be able to read.")
    String folder;

    @Option(names = "--manifest", paramLabel = "FILE|file:URI",
            description = "One item per line of this JSONL file ({\"uri\": …} or {\"params\": {…}}), read by the service.")
    String manifest;

    @Option(names = "--image-param", paramLabel = "NAME", defaultValue = "image",
            description = "The parameter that gets each --folder/--manifest image (default: ${DEFAULT-VALUE}).")
    String imageParam;

    @Option(names = "--window", paramLabel = "N", description = "Most items of this job outstanding at once (default: the service's).")
    Integer window;

    @Option(names = "--seed", description = "Item i gets seed + i (default: derived from the job id).")
    Long seed;

    @Option(names = "--priority", description = "Item priority, -100..-1 (bulk lane; default -10).")
    Integer priority;

    @Option(names = "--id", description = "Job id (default: job-<uuid>); items are <id>/<index>.")
    String id;

    @Option(names = "--watch", description = "Follow the job until it ends (progress on stderr, summary on stdout; "
            + "exit code by its final state). Ctrl-C stops following, not the job.")
    boolean watch;

    @Option(names = "--dry-run", description = "Print the job JSON and exit without contacting Kafka.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JobRequest job;
        try {
            job = buildJob();
        } catch (IllegalArgumentException | MalformedMessageException e) {
            err.println("rsynth: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        if (dryRun) {
            out.println(WireFormat.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(WireFormat.jobJson(job)));
            out.flush();
            return ExitCodes.SUCCEEDED;
        }
        try (RsynthClient client = new RsynthClient(kafka.configBuilder().build());
             JobStatusStream statuses = client.jobStatuses()) {
            Optional<JobStatus> previous = statuses.latest(job.id());
            if (previous.isPresent() && previous.get().state() != JobState.FAILED) {
                err.println("rsynth: job " + job.id() + " not submitted: JOB_ID_IN_USE: a job with that id exists (state "
                        + previous.get().state() + "); use a new --id, or `rsynth job watch " + job.id() + "`");
                err.flush();
                return ExitCodes.FAILED;
            }
            client.submitJob(job);
            err.println("rsynth: submitted job " + job.id() + " (" + job.type() + job.model().map(m -> ", " + m).orElse("")
                    + ") to " + client.config().topics().jobs() + " at " + client.config().bootstrapServers());
            err.flush();
            out.println(job.id());
            out.flush();
            if (!watch) {
                return ExitCodes.SUCCEEDED;
            }
            return JobFollowing.follow(statuses, job.id(), Optional.empty(), follow.settings(), out, err);
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }

    /** The job the options describe; IllegalArgumentException or MalformedMessageException for bad options or file. */
    JobRequest buildJob() throws IOException {
        boolean flagItems = classes != null || count != null || folder != null || manifest != null;
        int sources = (classes != null || count != null ? 1 : 0) + (folder != null ? 1 : 0) + (manifest != null ? 1 : 0);
        if (sources > 1) {
            throw new IllegalArgumentException("give the items one way: --classes/--count, --folder or --manifest");
        }
        JobRequest base = null;
        if (file != null) {
            if (flagItems) {
                throw new IllegalArgumentException("--file has the items; --classes/--count/--folder/--manifest cannot be added");
            }
            try {
                base = WireFormat.decodeJob(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("job file " + file + " does not exist");
            } catch (MalformedMessageException e) {
                throw new IllegalArgumentException("job file " + file + ": " + e.getMessage());
            }
        } else if (!flagItems) {
            throw new IllegalArgumentException("no items: give --file, --classes with --count, --folder or --manifest");
        }
        ItemSource items = base != null ? base.items() : flagSource();
        String jobType = type != null ? type : base != null ? base.type() : null;
        if (jobType == null) {
            throw new IllegalArgumentException("missing --type (the task type of every item)");
        }
        ObjectNode shared = base != null ? base.params() : JsonNodeFactory.instance.objectNode();
        for (String p : params) {
            String[] kv = RequestOptions.splitAssignment("--param", p);
            shared.set(kv[0], RequestOptions.parseValue(kv[1]));
        }
        return new JobRequest(
                id != null ? id : base != null ? base.id() : "job-" + UUID.randomUUID(),
                jobType,
                model != null ? Optional.of(model) : base != null ? base.model() : Optional.empty(),
                shared,
                seed != null ? OptionalLong.of(seed) : base != null ? base.seed() : OptionalLong.empty(),
                priority != null ? OptionalInt.of(priority) : base != null ? base.priority() : OptionalInt.empty(),
                window != null ? OptionalInt.of(window) : base != null ? base.window() : OptionalInt.empty(),
                items);
    }

    private ItemSource flagSource() {
        if (folder != null) {
            return new ItemSource.Folder(fileUri(folder, "--folder"), imageParam);
        }
        if (manifest != null) {
            return new ItemSource.Manifest(fileUri(manifest, "--manifest"), imageParam);
        }
        if (classes == null || count == null) {
            throw new IllegalArgumentException("generator items need both --classes and --count");
        }
        return new ItemSource.Generator(classes, count);
    }

    /** A {@code file:} URI as given, or a path made absolute (as the service sees it when it shares the file system). */
    private static URI fileUri(String text, String option) {
        if (text.startsWith("file:")) {
            try {
                return URI.create(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " '" + text + "' is not a URI: " + e.getMessage());
            }
        }
        if (text.contains("://")) {
            throw new IllegalArgumentException(option + " '" + text + "': only file: URIs are read by the service");
        }
        return Path.of(text).toAbsolutePath().normalize().toUri();
    }
}
