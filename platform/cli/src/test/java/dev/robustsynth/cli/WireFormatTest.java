package dev.robustsynth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reading results and progress: the contract's examples, tolerance for optional fields, refusal of the rest. */
class WireFormatTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Path examples() {
        Path dir = Path.of("../../schemas/examples");
        Assumptions.assumeTrue(Files.isDirectory(dir), "schemas/examples not in this checkout");
        return dir;
    }

    @Test
    void readsTheContractsResultExamples() throws Exception {
        Path dir = examples();
        TaskOutcome ok = WireFormat.decodeResult(Files.readAllBytes(dir.resolve("result.succeeded.json")));
        assertEquals(TaskStatus.SUCCEEDED, ok.status());
        assertEquals(1, ok.images().size());
        assertTrue(ok.images().get(0).hasBytes());
        assertEquals(28, ok.images().get(0).width());
        assertEquals(812, ok.provenance().path("runMillis").asInt());

        TaskOutcome byUri = WireFormat.decodeResult(Files.readAllBytes(dir.resolve("result.big-image-by-uri.json")));
        assertFalse(byUri.images().get(0).hasBytes(), "that file is not on this machine");
        assertTrue(byUri.images().get(0).uri().isPresent());
        assertTrue(byUri.images().get(0).unavailableReason().orElseThrow().contains("cannot read"));

        TaskOutcome cancelled = WireFormat.decodeResult(Files.readAllBytes(dir.resolve("result.cancelled.json")));
        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertEquals("CANCELLED", cancelled.error().orElseThrow().code());

        TaskOutcome failed = WireFormat.decodeResult(Files.readAllBytes(dir.resolve("result.failed-unknown-type.json")));
        assertEquals("UNKNOWN_TYPE", failed.error().orElseThrow().code());
        assertEquals("route", failed.error().orElseThrow().stage());

        ProgressEvent p = WireFormat.decodeProgress(Files.readAllBytes(dir.resolve("progress.synthesis.json")));
        assertEquals(20, p.step());
        assertEquals(60, p.totalSteps());
        assertEquals(0.33, p.fraction(), 1e-9);
        assertEquals(0.41, p.metrics().get("loss"), 1e-9);
        assertTrue(p.at().isPresent());
    }

    @Test
    void toleratesMissingOptionalFieldsAndUnknownOnes() {
        TaskOutcome o = WireFormat.decodeResult(utf8("{\"id\":\"a\",\"status\":\"SUCCEEDED\",\"future\":1}"));
        assertEquals("", o.type());
        assertEquals(List.of(), o.images());
        assertTrue(o.metadata().isObject());
        assertEquals(1, o.json().get("future").asInt());
        assertEquals(TaskStatus.UNKNOWN, WireFormat.decodeResult(utf8("{\"id\":\"a\",\"status\":\"PAUSED\"}")).status());

        ProgressEvent p = WireFormat.decodeProgress(utf8("{\"id\":\"a\",\"step\":3,\"totalSteps\":4,\"metrics\":{\"x\":\"n/a\"}}"));
        assertEquals(0.75, p.fraction(), 1e-9, "fraction derived from the steps");
        assertTrue(p.metrics().isEmpty(), "non-numeric metrics are dropped");
        assertTrue(p.at().isEmpty());
    }

    @Test
    void readsPreviewsInlineOnlyAndWritesTheProgressField() throws Exception {
        ProgressEvent p = WireFormat.decodeProgress(Files.readAllBytes(examples().resolve("progress.previews.json")));
        assertEquals(2, p.previews().size());
        assertEquals(List.of("preview", "preview"), p.previews().stream().map(OutcomeImage::role).toList());
        assertEquals(List.of(0, 1), p.previews().stream().map(OutcomeImage::index).toList());
        assertTrue(p.previews().get(0).hasBytes());
        assertEquals(4, p.previews().get(0).width());
        assertFalse(java.util.Arrays.equals(p.previews().get(0).bytes(), p.previews().get(1).bytes()));

        ProgressEvent byUri = WireFormat.decodeProgress(utf8("{\"id\":\"a\",\"previews\":[{\"uri\":\"file:///etc/hostname\"}]}"));
        assertEquals(List.of(), byUri.previews(), "a preview by reference is not read");
        assertEquals(List.of(), WireFormat.decodeProgress(utf8("{\"id\":\"a\"}")).previews());

        TaskSubmission task = TaskSubmission.builder("generate").id("t-1").param("class", "bag").progress(5, true)
                .build();
        var json = WireFormat.mapper().readTree(WireFormat.encodeRequest(task));
        assertEquals(5, json.path("progress").path("every").asInt());
        assertTrue(json.path("progress").path("previews").asBoolean());
        assertFalse(WireFormat.requestJson(TaskSubmission.builder("generate").build()).has("progress"));
        assertThrows(IllegalArgumentException.class, () -> TaskSubmission.builder("generate").progress(0, false));

        ContractSchemas schemas = ContractSchemas.find().orElse(null);
        Assumptions.assumeTrue(schemas != null, "schemas/ not in this checkout");
        assertEquals(List.of(), schemas.violations("request.v1.schema.json", json.toString()));
    }

    @Test
    void refusesWhatNoClientCanUse() {
        assertThrows(MalformedMessageException.class, () -> WireFormat.decodeResult(utf8("not json")));
        assertThrows(MalformedMessageException.class, () -> WireFormat.decodeResult(utf8("[]")));
        assertThrows(MalformedMessageException.class, () -> WireFormat.decodeResult(utf8("{\"status\":\"FAILED\"}")));
        assertThrows(MalformedMessageException.class, () -> WireFormat.decodeResult(utf8("{\"id\":\"a\"}")));
        assertThrows(MalformedMessageException.class, () -> WireFormat.decodeResult(null));
        assertThrows(MalformedMessageException.class, () -> WireFormat.decodeProgress(utf8("{\"step\":1}")));
    }

    @Test
    void badBase64IsReportedOnTheImageNotThrown() {
        TaskOutcome o = WireFormat.decodeResult(utf8("{\"id\":\"a\",\"status\":\"SUCCEEDED\",\"images\":"
                + "[{\"role\":\"result\",\"index\":0,\"data\":\"***\"}]}"));
        assertFalse(o.images().get(0).hasBytes());
        assertTrue(o.images().get(0).unavailableReason().orElseThrow().contains("base64"));
    }

    @Test
    void theSchemaCheckerIsNotVacuous() throws Exception {
        ContractSchemas schemas = ContractSchemas.find().orElse(null);
        Assumptions.assumeTrue(schemas != null, "schemas/ not in this checkout");
        Path invalid = examples().resolve("invalid");
        for (String name : List.of("request.unknown-field.json", "request.missing-type.json",
                "request.progress-every-zero.json", "progress.five-previews.json",
                "result.failed-without-error.json", "control.unknown-action.json")) {
            Path f = invalid.resolve(name);
            Assumptions.assumeTrue(Files.isRegularFile(f), f + " is gone");
            String kind = name.substring(0, name.indexOf('.'));
            assertFalse(schemas.violations(kind + ".v1.schema.json", Files.readString(f)).isEmpty(), name);
        }
    }
}
