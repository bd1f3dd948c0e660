package dev.robustsynth.service.playground;

import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.util.Locale;

/**
 * CSRF defence of the gateway's state-changing calls. A request must carry {@value #HEADER} (a cross-site page
 * cannot send a custom header without a CORS preflight, which this service never grants), must not be marked
 * cross-site by the browser ({@code Sec-Fetch-Site}), and when it names an {@code Origin} that origin's host and
 * port must be the {@code Host} it was sent to. JSON-only bodies ({@code @Consumes}) rule out HTML form posts too.
 */
final class SameOrigin {
    static final String HEADER = "X-Rsynth-Playground";

    private SameOrigin() {
    }

    static void check(HttpHeaders headers) {
        if (headers.getHeaderString(HEADER) == null) {
            throw refuse("the request lacks the " + HEADER + " header the playground page sends");
        }
        String site = headers.getHeaderString("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw refuse("the browser marked the request Sec-Fetch-Site: " + site);
        }
        String origin = headers.getHeaderString("Origin");
        if (origin != null) {
            String host = headers.getHeaderString(HttpHeaders.HOST);
            String originHost;
            try {
                URI uri = URI.create(origin);
                originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            } catch (IllegalArgumentException e) {
                throw refuse("the request's Origin '" + origin + "' is not a URI");
            }
            if (host == null || originHost == null
                    || !host.toLowerCase(Locale.ROOT).equals(originHost.toLowerCase(Locale.ROOT))) {
                throw refuse("the request comes from " + origin + ", not from this service (" + host + ")");
            }
        }
    }

    private static PlaygroundRefusal refuse(String message) {
        return new PlaygroundRefusal(403, "CROSS_SITE_REQUEST", "gateway", message);
    }
}
