package dev.robustsynth.service.health;

import dev.robustsynth.engine.EngineHealth;
import dev.robustsynth.engine.ModelHealth;
import dev.robustsynth.pluginhost.LoadedPlugin;
import dev.robustsynth.pluginhost.RefusedPlugin;
import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import dev.robustsynth.service.kafka.TaskConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The checks behind {@code /q/health}: Kafka (the consumer loop is alive and polling, commits are not frozen past
 * {@code rsynth.kafka.commit-stall-bound}), plugins
 * (served task types, refused plugins), models (loaded, failed) and the execution provider are readiness
 * checks; the liveness check only asks whether the consumer loop is alive and polling.
 */
@ApplicationScoped
public class ServiceHealthChecks {
    private static final Duration STUCK = Duration.ofSeconds(60);

    @Inject
    ServiceLifecycle lifecycle;

    private HealthCheckResponseBuilder named(String name) {
        return HealthCheckResponse.named(name);
    }

    /** Liveness: the consumer loop is alive and polling (a dead or stuck loop needs a restart). */
    @Produces
    @Liveness
    HealthCheck alive() {
        return () -> {
            ServiceAssembly s = lifecycle.assembly();
            HealthCheckResponseBuilder b = named("rsynth-consumer-loop");
            if (s == null || s.consumer() == null) {
                return b.down().withData("reason", "not started").build();
            }
            Duration sincePoll = s.consumer().sinceLastPoll();
            return b.status(s.consumer().running() && sincePoll.compareTo(STUCK) < 0)
                    .withData("msSinceLastPoll", sincePoll.toMillis()).build();
        };
    }

    @Produces
    @Readiness
    HealthCheck kafka() {
        return () -> {
            ServiceAssembly s = lifecycle.assembly();
            HealthCheckResponseBuilder b = named("rsynth-kafka");
            if (s == null || s.consumer() == null) {
                return b.down().withData("reason", "not started").build();
            }
            TaskConsumer c = s.consumer();
            Duration sincePoll = c.sinceLastPoll();
            Duration frozen = c.commitsFrozenFor();
            boolean commitsFlow = !c.commitsFrozen(s.config().kafka().commitStallBound());
            boolean up = c.running() && sincePoll.compareTo(STUCK) < 0 && s.control().running() && commitsFlow;
            b.status(up).withData("bootstrapServers", s.kafka().bootstrapServers().orElse(""))
                    .withData("embedded", s.embedded().isPresent())
                    .withData("consumerRunning", c.running())
                    .withData("msSinceLastPoll", sincePoll.toMillis())
                    .withData("partitionsAssigned", c.assigned())
                    .withData("paused", c.paused())
                    .withData("controlListenerRunning", s.control().running())
                    .withData("outcomeIndexRunning", s.outcomeIndex().running())
                    .withData("msCommitsFrozen", frozen.toMillis())
                    .withData("commitFailures", c.commitFailures())
                    .withData("msOldestUncommitted", c.oldestUncommittedAge().toMillis())
                    .withData("lag", (long) c.lag());
            if (!commitsFlow) {
                b.withData("reason", "offsets have waited " + frozen.toSeconds() + " s for a successful commit "
                        + "(rsynth.kafka.commit-stall-bound " + s.config().kafka().commitStallBound() + ")");
            }
            c.failure().ifPresent(f -> b.withData("failure", f.toString()));
            return b.build();
        };
    }

    @Produces
    @Readiness
    HealthCheck plugins() {
        return () -> {
            ServiceAssembly s = lifecycle.assembly();
            HealthCheckResponseBuilder b = named("rsynth-plugins");
            if (s == null || s.plugins() == null) {
                return b.down().withData("reason", "not started").build();
            }
            b.up().withData("taskTypes", String.join(", ", s.plugins().types()));
            for (LoadedPlugin p : s.plugins().plugins()) {
                b.withData("plugin." + p.name(), "SPI " + p.spiVersion() + " from " + p.source().describe()
                        + ", types " + p.types());
            }
            for (RefusedPlugin r : s.plugins().refused()) {
                b.withData("refused." + r.name(), r.source() + ": " + r.reason());
            }
            return b.build();
        };
    }

    @Produces
    @Readiness
    HealthCheck models() {
        return () -> {
            ServiceAssembly s = lifecycle.assembly();
            HealthCheckResponseBuilder b = named("rsynth-models");
            if (s == null || s.engine() == null) {
                return b.down().withData("reason", "not started").build();
            }
            EngineHealth h = s.engine().health();
            b.status(h.up() && !h.models().isEmpty())
                    .withData("models", h.models().stream().map(ModelHealth::name).collect(Collectors.joining(", ")))
                    .withData("defaultModel", s.intake().defaultModel().orElse(""))
                    .withData("queueDepth", h.queueDepth());
            h.failedModels().forEach((dir, why) -> b.withData("failed." + dir, why));
            return b.build();
        };
    }

    @Produces
    @Readiness
    HealthCheck executionProvider() {
        return () -> {
            ServiceAssembly s = lifecycle.assembly();
            HealthCheckResponseBuilder b = named("rsynth-execution-provider");
            if (s == null || s.engine() == null) {
                return b.down().withData("reason", "not started").build();
            }
            EngineHealth h = s.engine().health();
            b.status(h.up()).withData("provider", h.providerNote()).withData("onnxRuntime", h.ortVersion());
            h.models().forEach(m -> b.withData("model." + m.name(), m.provider()));
            return b.build();
        };
    }
}
