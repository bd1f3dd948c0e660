package dev.robustsynth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.JobState;
import dev.robustsynth.cli.JobStatus;
import dev.robustsynth.cli.JobStatusStream;
import dev.robustsynth.cli.OutcomeImage;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.WireFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rsynth job fetch}: a job's outputs from Kafka alone, so from any machine: the items' results from the results
 * topic (read_committed) become {@code <out>/<index>-<k>.png} and {@code <out>/manifest.jsonl}, in the line format of
 * the service's own manifest.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Write a job's images (<out>/<index>-<k>.png) and manifest (<out>/manifest.jsonl, one line per "
                + "item in index order, the service's format) from its items' results on rsynth.results.",
            "Needs only Kafka (no shared file system). Items without a result are listed on stderr (exit 8); items "
                + "a cancel kept from being published get CANCELLED lines, as in the service's manifest."})
public final class JobFetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true, description = "Where the files go.")
    Path out;

    /** What the results gave: manifest lines by index, and images that could not be written. */
    private record Fetched(TreeMap<Integer, ObjectNode> lines, List<String> warnings, int images) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JobStatus status;
        Fetched fetched;
        try (RsynthClient client = new RsynthClient(kafka.configBuilder().build())) {
            Optional<JobStatus> latest;
            try (JobStatusStream statuses = client.jobStatuses()) {
                latest = statuses.latest(id);
            }
            if (latest.isEmpty()) {
                err.println("rsynth: no status for job " + id + " on " + client.config().topics().jobStatus()
                        + "; nothing to fetch");
                err.flush();
                return ExitCodes.NO_STATUS;
            }
            status = latest.get();
            if (status.state() == JobState.FAILED) {
                return JobFollowing.report(status, stdout, err);
            }
            Files.createDirectories(out);
            TreeMap<Integer, ObjectNode> lines = new TreeMap<>();
            List<String> warnings = new ArrayList<>();
            int[] images = {0};
            client.jobOutcomes(id, status.total(),
                    (index, outcome) -> lines.put(index, line(index, outcome, warnings, images)));
            fetched = new Fetched(lines, warnings, images[0]);
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
        List<Long> missing = new ArrayList<>();
        Path temp = out.resolve(".manifest.jsonl.tmp");
        try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            for (long i = 0; i < status.total(); i++) {
                ObjectNode line = fetched.lines().get((int) i);
                if (line == null && status.state() == JobState.CANCELLED && i >= status.published()) {
                    line = WireFormat.manifestLineNeverPublished(id, i);
                }
                if (line == null) {
                    missing.add(i);
                    continue;
                }
                w.write(line.toString());
                w.write('\n');
            }
        }
        Files.move(temp, out.resolve("manifest.jsonl"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        fetched.warnings().forEach(warning -> err.println("rsynth: warning: " + warning));
        long written = status.total() - missing.size();
        stdout.println("fetched job " + id + " (" + status.state() + "): " + written + "/" + status.total() + " items, "
                + fetched.images() + (fetched.images() == 1 ? " image" : " images") + " -> " + out);
        stdout.flush();
        if (!missing.isEmpty()) {
            err.println("rsynth: " + missing.size() + " of " + status.total() + " items of job " + id
                    + " have no result on " + kafkaResults() + (status.state().terminal() ? ""
                    : " (the job is " + status.state() + ")") + ": " + ranges(missing));
        }
        err.flush();
        return !missing.isEmpty() ? ExitCodes.INCOMPLETE
                : fetched.warnings().isEmpty() ? ExitCodes.SUCCEEDED : ExitCodes.ERROR;
    }

    private String kafkaResults() {
        return kafka.resultsTopic;
    }

    /** The manifest line of one item (the service's format); its images written as {@code <index>-<k>.png}. */
    private ObjectNode line(int index, TaskOutcome outcome, List<String> warnings, int[] images) throws IOException {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("index", index);
        line.put("id", outcome.id());
        line.put("status", outcome.status().name());
        ArrayNode files = line.putArray("files");
        ArrayNode described = line.putArray("images");
        for (int k = 0; k < outcome.images().size(); k++) {
            OutcomeImage image = outcome.images().get(k);
            String name = index + "-" + k + ".png";
            byte[] png = image.hasBytes() ? OutcomeWriter.toPng(image.bytes()) : null;
            if (png == null) {
                warnings.add(outcome.id() + " image " + k + " not written: "
                        + image.unavailableReason().orElse("it could not be decoded (" + image.mediaType() + ")"));
                continue;
            }
            Files.write(out.resolve(name), png);
            images[0]++;
            files.add(name);
            ObjectNode d = described.addObject();
            d.put("file", name);
            d.put("role", image.role());
            d.put("width", image.width());
            d.put("height", image.height());
            d.set("metadata", image.metadata());
        }
        line.set("provenance", orNull(outcome.json().get("provenance")));
        line.set("error", orNull(outcome.json().get("error")));
        return line;
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.instance : node;
    }

    /** {@code 3, 7-9, 12}. */
    static String ranges(List<Long> sorted) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(sorted.get(i));
            if (j > i) {
                sb.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
