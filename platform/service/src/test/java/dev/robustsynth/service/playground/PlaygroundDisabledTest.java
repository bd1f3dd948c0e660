package dev.robustsynth.service.playground;

import static io.restassured.RestAssured.given;

import dev.robustsynth.service.testing.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code rsynth.playground.enabled=false}: neither the page nor the gateway answers; the rest of the API does. */
@QuarkusTest
@TestProfile(PlaygroundDisabledTest.Disabled.class)
@WithTestResource(ServiceTestResource.class)
class PlaygroundDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rsynth.playground.enabled", "false");
        }
    }

    @Test
    void thePageAndTheGatewayAreOff() {
        given().get("/").then().statusCode(404);
        given().get("/index.html").then().statusCode(404);
        given().get("/playground/app.js").then().statusCode(404);
        given().get("/api/v1/playground/models").then().statusCode(404);
        given().header(SameOrigin.HEADER, "1").contentType(ContentType.JSON).body("{\"type\":\"echo\",\"params\":{}}")
                .post("/api/v1/playground/tasks").then().statusCode(404);
        given().get("/api/v1/tasks").then().statusCode(200);
    }
}
