package dev.robustsynth.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsynth.cli.ContractSchemas;
import dev.robustsynth.cli.TestImages;
import dev.robustsynth.cli.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** How the command line becomes a request, without Kafka (--dry-run). */
class RequestOptionsTest {
    @TempDir
    Path dir;

    @Test
    void paramValuesAreJsonWhenTheyParseElseStrings() {
        assertTrue(RequestOptions.parseValue("60").isInt());
        assertTrue(RequestOptions.parseValue("2.5").isDouble());
        assertTrue(RequestOptions.parseValue("1e3").isNumber());
        assertTrue(RequestOptions.parseValue("true").isBoolean());
        assertTrue(RequestOptions.parseValue("[1,2,3]").isArray());
        assertTrue(RequestOptions.parseValue("{\"a\":1}").isObject());
        assertTrue(RequestOptions.parseValue("null").isNull());
        assertEquals("sneaker", RequestOptions.parseValue("sneaker").asText());
        assertEquals("ankle boot", RequestOptions.parseValue("ankle boot").asText());
        assertEquals("007", RequestOptions.parseValue("007").asText(), "leading zeros are not JSON");
        assertEquals("7", RequestOptions.parseValue("\"7\"").asText(), "a quoted number stays a string");
        assertTrue(RequestOptions.parseValue("\"7\"").isTextual());
        assertEquals("1 2", RequestOptions.parseValue("1 2").asText(), "trailing tokens: a string");
        assertEquals("", RequestOptions.parseValue("").asText());
        assertEquals("[1,", RequestOptions.parseValue("[1,").asText());
    }

    @Test
    void dryRunPrintsTheRequestWithParamsFileOverriddenByParams() throws Exception {
        Path params = dir.resolve("p.json");
        Files.writeString(params, "{\"class\": \"coat\", \"count\": 2, \"eps\": 40}");
        Path bmp = dir.resolve("in.bmp");
        ImageIO.write(TestImages.grey(8, 8), "bmp", bmp.toFile());
        CliRun run = CliRun.of("submit", "--dry-run", "-t", "generate", "-m", "fashion-robust-l2", "--params-file",
                params.toString(), "--param", "class=sneaker", "--param", "steps=60", "--param", "flags=[1,2]",
                "--image", "image=" + bmp, "--image-ref", "mask=" + bmp, "--seed", "7", "--priority", "2",
                "--deadline", "2030-01-01T00:00:00Z", "--id", "job-42");
        assertEquals(0, run.exit(), run::toString);
        JsonNode json = WireFormat.mapper().readTree(run.out());
        assertEquals("job-42", json.get("id").asText());
        assertEquals("generate", json.get("type").asText());
        assertEquals("fashion-robust-l2", json.get("model").asText());
        assertEquals("sneaker", json.at("/params/class").asText());
        assertEquals(2, json.at("/params/count").asInt());
        assertEquals(60, json.at("/params/steps").asInt());
        assertEquals(2, json.at("/params/flags").size());
        assertEquals(7, json.get("seed").asLong());
        assertEquals(2, json.get("priority").asInt());
        assertEquals("2030-01-01T00:00:00Z", json.get("deadline").asText());
        byte[] sent = Base64.getDecoder().decode(json.at("/params/image/data").asText());
        assertTrue(RequestOptions.isPng(sent), "a BMP is re-encoded as PNG");
        assertEquals(8, ImageIO.read(new java.io.ByteArrayInputStream(sent)).getWidth());
        assertEquals(bmp.toAbsolutePath().toUri().toString(), json.at("/params/mask/uri").asText());

        ContractSchemas schemas = ContractSchemas.find().orElse(null);
        Assumptions.assumeTrue(schemas != null, "schemas/ not in this checkout");
        assertEquals(List.of(), schemas.violations("request.v1.schema.json", run.out()));
    }

    @Test
    void pngAndJpegFilesAreSentAsTheyAre() throws Exception {
        Path png = dir.resolve("a.png");
        Files.write(png, TestImages.greyPng(5, 5));
        assertArrayEquals(Files.readAllBytes(png), RequestOptions.readImage(png));
        Path jpg = dir.resolve("a.jpg");
        Files.write(jpg, TestImages.encode(TestImages.grey(5, 5), "jpg"));
        assertArrayEquals(Files.readAllBytes(jpg), RequestOptions.readImage(jpg));
    }

    @Test
    void badOptionsGiveClearErrors() throws Exception {
        CliRun noEquals = CliRun.of("submit", "--dry-run", "-t", "generate", "--param", "steps");
        assertEquals(ExitCodes.USAGE, noEquals.exit(), noEquals::toString);
        assertTrue(noEquals.err().contains("--param 'steps' is not of the form name=value"), noEquals::toString);

        CliRun missing = CliRun.of("submit", "--dry-run", "-t", "echo", "--image", "image=" + dir.resolve("nope.png"));
        assertEquals(ExitCodes.ERROR, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("does not exist"), missing::toString);

        Path text = dir.resolve("not-an-image.png");
        Files.writeString(text, "hello");
        CliRun notImage = CliRun.of("submit", "--dry-run", "-t", "echo", "--image", "image=" + text);
        assertEquals(ExitCodes.ERROR, notImage.exit(), notImage::toString);
        assertTrue(notImage.err().contains("is not an image"), notImage::toString);

        Path array = dir.resolve("p.json");
        Files.writeString(array, "[1]");
        CliRun notObject = CliRun.of("submit", "--dry-run", "-t", "echo", "--params-file", array.toString());
        assertEquals(ExitCodes.ERROR, notObject.exit(), notObject::toString);
        assertTrue(notObject.err().contains("must hold a JSON object"), notObject::toString);

        CliRun noType = CliRun.of("submit", "--dry-run");
        assertEquals(ExitCodes.USAGE, noType.exit(), noType::toString);

        CliRun badTimeout = CliRun.of("submit", "-t", "echo", "--timeout", "soon");
        assertEquals(ExitCodes.USAGE, badTimeout.exit(), badTimeout::toString);
        assertTrue(badTimeout.err().contains("'soon' is not a duration"), badTimeout::toString);
    }

    @Test
    void durationsParse() {
        assertEquals(Duration.ofMinutes(10), DurationConverter.parse("10m"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30"));
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofMinutes(90), DurationConverter.parse("1.5h"));
        assertEquals(Duration.ofDays(1), DurationConverter.parse("1d"));
        assertEquals(Duration.ofMinutes(10), DurationConverter.parse("PT10M"));
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse("0s"));
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse("-5m"));
    }
}
