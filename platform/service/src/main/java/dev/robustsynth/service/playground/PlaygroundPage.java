package dev.robustsynth.service.playground;

import dev.robustsynth.service.config.RsynthConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * With {@code rsynth.playground.enabled=false} the page's static files ({@code /}, {@code /index.html},
 * {@code /playground/*} from META-INF/resources) answer 404; the gateway's resource checks the flag itself.
 */
@ApplicationScoped
public class PlaygroundPage {

    void routes(@Observes Router router, RsynthConfig config) {
        if (!config.playgroundEnabled()) {
            router.routeWithRegex("/(index\\.html)?|/playground(/.*)?").order(Integer.MIN_VALUE)
                    .handler(ctx -> ctx.response().setStatusCode(404).end());
        }
    }
}
