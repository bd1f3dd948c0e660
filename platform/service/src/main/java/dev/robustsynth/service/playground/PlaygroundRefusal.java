package dev.robustsynth.service.playground;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * A request the gateway refuses before it reaches Kafka, answered as {@code {"error": {code, message, stage}}} like a
 * FAILED result: the service's own error codes where one fits ({@code MESSAGE_TOO_LARGE}, {@code IMAGE_URI_REFUSED},
 * {@code NOT_JSON}, …), {@code CROSS_SITE_REQUEST} for a request that is not from the page's own origin.
 */
final class PlaygroundRefusal extends WebApplicationException {

    PlaygroundRefusal(int status, String code, String stage, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", new PlaygroundEvent.Error(code, message, stage))).build());
    }

    static PlaygroundRefusal badRequest(String code, String stage, String message) {
        return new PlaygroundRefusal(400, code, stage, message);
    }
}
