package dev.robustsynth.service.playground;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.robustsynth.service.testing.ServiceTestResource;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TestModels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The gateway's refusals before Kafka, and what it serves the page, over plain HTTP. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class PlaygroundGatewayTest {
    private static final String TASKS = "/api/v1/playground/tasks";

    private static String echo(String image) {
        return "{\"type\":\"echo\",\"model\":\"" + TestModels.TINY_NAME + "\",\"params\":{\"image\":" + image + "}}";
    }

    @Test
    void theServiceServesThePageAtTheRoot() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("RobustSynth playground"), containsString("/playground/app.js"));
        given().get("/playground/app.js").then().statusCode(200).body(containsString("import"));
    }

    @Test
    void modelsCarryTheirLayersForFeaturePainting() {
        given().get("/api/v1/playground/models").then().statusCode(200)
                .body("find { it.name == '" + TestModels.TINY_NAME + "' }.layers.name", hasItem("features"))
                .body("find { it.name == '" + TestModels.TINY_NAME + "' }.height", equalTo(28));
    }

    @Test
    void aFileUriFromTheBrowserIsRefusedWithTheServicesCode() {
        given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON)
                .body(echo("{\"uri\":\"file:///etc/passwd\"}")).post(TASKS)
                .then().statusCode(400).body("error.code", equalTo("IMAGE_URI_REFUSED"))
                .body("error.stage", equalTo("validate")).body("error.message", containsString("inline only"));
    }

    @Test
    void aRequestWithoutThePagesHeaderOrFromAnotherSiteIsRefused() {
        String body = echo("{\"data\":\"" + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28)) + "\"}");
        given().contentType(ContentType.JSON).body(body).post(TASKS)
                .then().statusCode(403).body("error.code", equalTo("CROSS_SITE_REQUEST"));
        given().header(SameOrigin.HEADER, "1").header("Origin", "http://evil.example").contentType(ContentType.JSON)
                .body(body).post(TASKS).then().statusCode(403).body("error.code", equalTo("CROSS_SITE_REQUEST"));
        given().header(SameOrigin.HEADER, "1").header("Sec-Fetch-Site", "cross-site").contentType(ContentType.JSON)
                .body(body).post(TASKS).then().statusCode(403).body("error.code", equalTo("CROSS_SITE_REQUEST"));
        given().header(SameOrigin.HEADER, "1").contentType(ContentType.TEXT).body(body).post(TASKS)
                .then().statusCode(415);
    }

    @Test
    void aRequestOverTheServicesRecordLimitIsRefused() {
        String big = "A".repeat(ServiceTestResource.MAX_MESSAGE_BYTES);
        given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON).body(echo("{\"data\":\"" + big + "\"}"))
                .post(TASKS).then().statusCode(413).body("error.code", equalTo("MESSAGE_TOO_LARGE"))
                .body("error.message", containsString("rsynth.max-message-bytes"));
    }

    @Test
    void aTaskAskingForPreviewsStreamsThemAsPngDataUrlsWithItsProgress() throws Exception {
        assumeTrue(TestModels.shipped(), "models/" + TestModels.SHIPPED_NAME + " is not in this checkout");
        String body = "{\"type\":\"generate\",\"model\":\"" + TestModels.SHIPPED_NAME + "\",\"params\":{\"class\":"
                + "\"bag\",\"count\":2,\"steps\":10,\"stopAt\":1,\"returnSeeds\":false},"
                + "\"progress\":{\"every\":5,\"previews\":true}}";
        String id = given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON).body(body).post(TASKS)
                .then().statusCode(202).extract().path("id");
        String stream = given().get(TASKS + "/" + id + "/events").then().statusCode(200).extract().asString();
        List<JsonNode> events = new ArrayList<>();
        for (String line : stream.split("\n")) {
            if (line.startsWith("data:")) {
                events.add(new ObjectMapper().readTree(line.substring("data:".length())));
            }
        }
        List<JsonNode> progress = events.stream().filter(e -> e.path("kind").asText().equals("progress")).toList();
        assertEquals(List.of(5, 10), progress.stream().map(e -> e.path("step").asInt()).toList(), stream);
        List<String> firstAndLast = new ArrayList<>();
        for (JsonNode p : progress) {
            assertEquals(2, p.path("previews").size(), p.toString());
            for (JsonNode url : p.path("previews")) {
                String prefix = "data:image/png;base64,";
                assertTrue(url.asText().startsWith(prefix), url.asText());
                BufferedImage png = ImageIO.read(new ByteArrayInputStream(
                        Base64.getDecoder().decode(url.asText().substring(prefix.length()))));
                assertEquals(28, png.getWidth());
                assertEquals(28, png.getHeight());
            }
            firstAndLast.add(p.path("previews").get(0).asText());
        }
        assertNotEquals(firstAndLast.get(0), firstAndLast.get(1), "the preview changed from step 5 to step 10");
        assertEquals("SUCCEEDED", events.getLast().path("status").asText(), stream);
    }

    @Test
    void aProgressFieldThatIsNotACadenceIsRefused() {
        for (String progress : List.of("{\"every\":0,\"previews\":true}", "{\"every\":2.5,\"previews\":true}",
                "{\"every\":5,\"previews\":\"yes\"}")) {
            given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON)
                    .body("{\"type\":\"generate\",\"params\":{\"class\":\"bag\"},\"progress\":" + progress + "}")
                    .post(TASKS).then().statusCode(400).body("error.code", equalTo("SCHEMA_VIOLATION"))
                    .body("error.message", containsString("progress"));
        }
    }

    @Test
    void theGatewayChecksTheRequestSchemaNotAStricterRuleOfItsOwn() {
        String image = "{\"data\":\"" + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28)) + "\"}";
        String withoutPreviews = echo(image).replaceFirst("}$", ",\"progress\":{\"every\":3}}");
        given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON).body(withoutPreviews).post(TASKS)
                .then().statusCode(202).body("kind", equalTo("accepted"));
        given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON)
                .body(echo(image).replaceFirst("}$", ",\"colour\":\"blue\"}")).post(TASKS)
                .then().statusCode(400).body("error.code", equalTo("SCHEMA_VIOLATION"))
                .body("error.message", containsString("colour"));
        given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON)
                .body("{\"type\":\"echo\",\"params\":[1]}").post(TASKS)
                .then().statusCode(400).body("error.code", equalTo("SCHEMA_VIOLATION"))
                .body("error.message", containsString("params"));
    }

    @Test
    void anAcceptedTaskStreamsItsOutcome() {
        String body = echo("{\"data\":\"" + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28)) + "\"}");
        String id = given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON).body(body).post(TASKS)
                .then().statusCode(202).body("kind", equalTo("accepted")).extract().path("id");
        given().get(TASKS + "/" + id + "/events").then().statusCode(200)
                .body(containsString("\"kind\":\"progress\""), containsString("\"kind\":\"outcome\""),
                        containsString("\"status\":\"SUCCEEDED\""));
        given().get(TASKS + "/nobody/events").then().statusCode(404);
    }
}
