package dev.robustsynth.service.metrics;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.ModelHealth;
import dev.robustsynth.engine.schedule.SchedulerStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The service's meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code rsynth.tasks} [rsynth_tasks_total{type,outcome,code}]: requests by task type and outcome
 *       (succeeded, failed, cancelled, rejected) and error code ("none" on success);
 *   <li>{@code rsynth.task.queue.wait} [rsynth_task_queue_wait_seconds{type}]: from receipt to a worker;
 *   <li>{@code rsynth.task.duration} [rsynth_task_duration_seconds{type,outcome}]: time on the worker;
 *   <li>{@code rsynth.tasks.in.flight} [rsynth_tasks_in_flight{state}]: queued, running and publishing tasks;
 *   <li>{@code rsynth.dlq.records} [rsynth_dlq_records_total{code}]: dead letters written (in the outcome
 *       transactions, so none is lost without its result);
 *   <li>{@code rsynth.quarantined} [rsynth_quarantined_total]: records quarantined as POISON_RECORD;
 *   <li>{@code rsynth.consumer.lag} [rsynth_consumer_lag]: records the tasks consumer is behind (records-lag-max);
 *   <li>{@code rsynth.commit.failures} [rsynth_commit_failures]: offset commits that failed;
 *   <li>{@code rsynth.uncommitted.oldest.age} [rsynth_uncommitted_oldest_age_seconds]: age of the oldest received
 *       record whose offset is not yet committable;
 *   <li>per model loaded at start ({@code model} tag; {@code lane} = all or bulk): {@code rsynth.engine.ticks}
 *       [rsynth_engine_ticks_total], {@code rsynth.engine.image.steps} [rsynth_engine_image_steps_total{lane}]
 *       (image steps over ticks = how full the batches are), {@code rsynth.engine.tick.time}
 *       [rsynth_engine_tick_time_seconds_total] and {@code rsynth.engine.live.images}
 *       [rsynth_engine_live_images{lane}].
 * </ul>
 * Types a client invents are counted as {@code unknown}, so a bad client cannot blow up the label space.
 */
public final class ServiceMetrics {
    private final MeterRegistry registry;
    private final Supplier<Set<String>> knownTypes;

    public ServiceMetrics(MeterRegistry registry, Supplier<Set<String>> knownTypes) {
        this.registry = requireNonNull(registry, "registry is null");
        this.knownTypes = requireNonNull(knownTypes, "knownTypes is null");
    }

    private String type(String type) {
        return knownTypes.get().contains(type) ? type : "unknown";
    }

    public void outcome(String type, String outcome, String code) {
        Counter.builder("rsynth.tasks").description("task requests by type, outcome and error code")
                .tag("type", type(type)).tag("outcome", outcome).tag("code", code).register(registry).increment();
    }

    public void queueWait(String type, Duration wait) {
        Timer.builder("rsynth.task.queue.wait").description("time from receipt until a worker takes the task")
                .tag("type", type(type)).register(registry).record(wait);
    }

    public void duration(String type, String outcome, Duration duration) {
        Timer.builder("rsynth.task.duration").description("time a task ran on its worker")
                .tag("type", type(type)).tag("outcome", outcome).register(registry).record(duration);
    }

    public void deadLetter(String code) {
        Counter.builder("rsynth.dlq.records").description("records sent to the dead-letter topic")
                .tag("code", code).register(registry).increment();
    }

    public void quarantined() {
        Counter.builder("rsynth.quarantined").description("records quarantined after rsynth.max-attempts crashes")
                .register(registry).increment();
    }

    /** Registers the consumer's gauges. */
    public void consumerGauges(Supplier<Number> lag, Supplier<Number> commitFailures,
                               Supplier<Number> oldestUncommittedSeconds) {
        Gauge.builder("rsynth.consumer.lag", lag).description("records the tasks consumer is behind (max over "
                + "its partitions)").register(registry);
        Gauge.builder("rsynth.commit.failures", commitFailures).description("offset commits that failed")
                .register(registry);
        Gauge.builder("rsynth.uncommitted.oldest.age", oldestUncommittedSeconds).baseUnit("seconds")
                .description("age of the oldest received record whose offset cannot be committed yet")
                .register(registry);
    }

    /** Registers the in-flight gauges. */
    public void gauges(Supplier<Number> queued, Supplier<Number> running, Supplier<Number> publishing) {
        Gauge.builder("rsynth.tasks.in.flight", queued).description("accepted tasks not yet finished")
                .tag("state", "queued").register(registry);
        Gauge.builder("rsynth.tasks.in.flight", running).description("accepted tasks not yet finished")
                .tag("state", "running").register(registry);
        Gauge.builder("rsynth.tasks.in.flight", publishing).description("accepted tasks not yet finished")
                .tag("state", "publishing").register(registry);
    }

    /**
     * Registers the scheduler meters of the models the engine serves now (Micrometer holds its state objects
     * weakly, so the meters read the engine itself, which lives as long as the service).
     */
    public void engineMeters(Engine engine) {
        for (String model : engine.health().models().stream().map(ModelHealth::name).toList()) {
            FunctionCounter.builder("rsynth.engine.ticks", engine, stat(model, SchedulerStats::ticks))
                    .description("scheduler ticks (one graph evaluation each)").tag("model", model).register(registry);
            FunctionCounter.builder("rsynth.engine.image.steps", engine, stat(model, SchedulerStats::imageSteps))
                    .description("image steps evaluated").tag("model", model).tag("lane", "all").register(registry);
            FunctionCounter.builder("rsynth.engine.image.steps", engine, stat(model, SchedulerStats::bulkImageSteps))
                    .description("image steps evaluated").tag("model", model).tag("lane", "bulk").register(registry);
            FunctionCounter.builder("rsynth.engine.tick.time", engine, stat(model, s -> s.tickNanos() / 1e9))
                    .baseUnit("seconds").description("wall time inside ticks").tag("model", model).register(registry);
            Gauge.builder("rsynth.engine.live.images", engine, stat(model, SchedulerStats::liveItems))
                    .description("images being stepped").tag("model", model).tag("lane", "all").register(registry);
            Gauge.builder("rsynth.engine.live.images", engine, stat(model, SchedulerStats::liveBulkItems))
                    .description("images being stepped").tag("model", model).tag("lane", "bulk").register(registry);
        }
    }

    private static ToDoubleFunction<Engine> stat(String model, ToDoubleFunction<SchedulerStats> value) {
        return engine -> engine.schedulerStats(model).map(value::applyAsDouble).orElse(Double.NaN);
    }
}
