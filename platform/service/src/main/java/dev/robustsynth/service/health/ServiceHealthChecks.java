package dev.robustsynth.service.health;

import dev.robustsynth.engine.EngineHealth;
import dev.robustsynth.engine.ModelHealth;
import dev.robustsynth.pluginhost.LoadedPlugin;
import dev.robustsynth.pluginhost.RefusedPlugin;
import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import dev.robustsynth.service.jobs.JobService;
import dev.robustsynth.service.kafka.OutcomeCommitter;
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
 * The checks behind {@code /q/health}: Kafka (the outcome committer is alive, commits are not frozen past
 * {@code rsynth.kafka.commit-stall-bound}), plugins
 * (served task types, refused plugins), models (loaded, failed) and the execution provider are readiness
 * checks, and so are bulk jobs (their Kafka Streams); the liveness check asks whether the outcome committer is
 * alive and stepping.
 */
@ApplicationScoped
public class ServiceHealthChecks {
    private static final Duration STUCK = Duration.ofSeconds(90); // a transaction may take 60 s

    @Inject
    ServiceLifecycle lifecycle;

    @Inject
    OutcomeCommitter committer;

    private HealthCheckResponseBuilder named(String name) {
        return HealthCheckResponse.named(name);
    }

    /**
     * Liveness: the outcome committer is alive and stepping (a dead or stuck one needs a restart). SmallRye's own
     * checks of the channels ({@code quarkus.messaging.health}) are liveness checks too: a failed tasks channel
     * turns {@code /q/health/live} DOWN as well.
     */
    @Produces
    @Liveness
    HealthCheck alive() {
        return () -> {
            HealthCheckResponseBuilder b = named("rsynth-outcome-committer");
            if (lifecycle.assembly() == null) {
                return b.down().withData("reason", "not started").build();
            }
            Duration sinceStep = committer.sinceLastStep();
            b.status(committer.running() && sinceStep.compareTo(STUCK) < 0)
                    .withData("msSinceLastStep", sinceStep.toMillis());
            committer.failure().ifPresent(f -> b.withData("failure", f.toString()));
            return b.build();
        };
    }

    @Produces
    @Readiness
    HealthCheck kafka() {
        return () -> {
            ServiceAssembly s = lifecycle.assembly();
            HealthCheckResponseBuilder b = named("rsynth-kafka");
            if (s == null) {
                return b.down().withData("reason", "not started").build();
            }
            OutcomeCommitter c = committer;
            Duration sinceStep = c.sinceLastStep();
            Duration frozen = c.commitsFrozenFor();
            boolean commitsFlow = !c.commitsFrozen(s.config().kafka().commitStallBound());
            boolean up = c.running() && sinceStep.compareTo(STUCK) < 0 && commitsFlow;
            b.status(up).withData("bootstrapServers", s.kafka().bootstrapServers().orElse(""))
                    .withData("embedded", s.embedded().isPresent())
                    .withData("committerRunning", c.running())
                    .withData("partitionsAssigned", c.assigned())
                    .withData("pending", c.pending())
                    .withData("full", c.full())
                    .withData("outcomeIndexRunning", s.outcomeIndex().running())
                    .withData("attemptsLogRunning", s.attempts().running())
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

    /**
     * Bulk jobs: DOWN only when their Kafka Streams failed (it is restarted; the task service runs on); UP while it
     * waits for its topics, with the missing ones named. Absent jobs ({@code rsynth.jobs.enabled=false}) are UP.
     */
    @Produces
    @Readiness
    HealthCheck jobs() {
        return () -> {
            ServiceAssembly s = lifecycle.assembly();
            HealthCheckResponseBuilder b = named("rsynth-jobs");
            if (s == null) {
                return b.down().withData("reason", "not started").build();
            }
            if (s.jobs().isEmpty()) {
                return b.up().withData("enabled", false).build();
            }
            JobService.Health h = s.jobs().get().health();
            b.status(h.up()).withData("enabled", true).withData("phase", h.phase().name());
            h.streams().ifPresent(state -> b.withData("streams", state.name()));
            h.detail().ifPresent(d -> b.withData("detail", d));
            return b.build();
        };
    }
}
