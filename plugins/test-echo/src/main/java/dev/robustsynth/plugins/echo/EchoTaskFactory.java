package dev.robustsynth.plugins.echo;

import dev.robustsynth.spi.ConfigDefinition;
import dev.robustsynth.spi.ConfigKey;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.PluginConfig;
import dev.robustsynth.spi.Prediction;
import dev.robustsynth.spi.Progress;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskDescriptor;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.ValidationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Task type {@code echo}: reports {@code steps} progress events (sleeping {@code delayMillis} before each, checking
 * cancellation and the deadline every 10 ms), optionally classifies the image with the model, and returns the
 * image unchanged. With {@code failWith} it ends with that error code instead. With {@code misbehave} it does what
 * a broken plugin does ({@link Misbehaviour}), for the service's watchdog tests.
 */
public final class EchoTaskFactory implements TaskFactory<EchoTaskFactory.Plan> {
    static final String TYPE = "echo";
    private static final String SCHEMA = readSchema();

    private int maxSteps;

    /** One echo request, parsed. */
    record Plan(Image image, int steps, long delayMillis, boolean classify, String failWith,
                Misbehaviour misbehave, long misbehaveMillis) {
    }

    /** What a broken plugin does; the {@code misbehave} parameter's values. */
    enum Misbehaviour {
        /** no misbehaviour */
        NONE("none"),
        /** {@code run} throws a real {@link OutOfMemoryError} (an array larger than any heap) */
        THROW_ERROR("throw-error"),
        /** {@code run} recurses until the JVM throws {@link StackOverflowError} */
        STACK_OVERFLOW("stack-overflow"),
        /** {@code run} sleeps and never looks at cancellation; an interrupt ends it */
        HANG("hang"),
        /** {@code run} spins on the CPU, deaf to cancellation and interrupts, for {@code misbehaveMillis} */
        SPIN("spin"),
        /** {@code validate} sleeps, deaf to interrupts, for {@code misbehaveMillis} */
        HANG_IN_VALIDATE("hang-in-validate"),
        /**
         * {@code run} sleeps in 10 ms steps, deaf to cancellation and interrupts, for {@code misbehaveMillis}, then
         * echoes as usual
         */
        IGNORE_CANCEL("ignore-cancel");

        final String wireName;

        Misbehaviour(String wireName) {
            this.wireName = wireName;
        }

        static Misbehaviour of(String wireName) {
            for (Misbehaviour m : values()) {
                if (m.wireName.equals(wireName)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown misbehaviour '" + wireName + "'");
        }
    }

    @Override
    public TaskDescriptor descriptor() {
        return new TaskDescriptor(TYPE, "1.0.0", "echo the input image (test task)", SCHEMA, Set.of("image"),
                List.of("image/png"));
    }

    @Override
    public ConfigDefinition configDefinition() {
        return ConfigDefinition.of(ConfigKey.intRange("max-steps", 1000, 1, 1000,
                "the largest 'steps' a request may ask for"));
    }

    @Override
    public void init(PluginConfig config) {
        maxSteps = config.integer("max-steps");
    }

    @Override
    public Plan validate(ValidationContext context) throws InvalidParametersException {
        Parameters params = context.params();
        int steps = params.integer("steps", 3);
        if (steps > maxSteps) {
            throw new InvalidParametersException("parameter 'steps' is " + steps + "; this service allows at most "
                    + maxSteps + " (rsynth.task.echo.max-steps)");
        }
        Misbehaviour misbehave = Misbehaviour.of(params.string("misbehave", "none"));
        long misbehaveMillis = params.integer("misbehaveMillis", Integer.MAX_VALUE);
        if (misbehave == Misbehaviour.HANG_IN_VALIDATE) {
            sleepDeaf(misbehaveMillis);
        }
        return new Plan(context.requireImage("image"), steps, params.integer("delayMillis", 0),
                params.bool("classify", true), params.string("failWith", null), misbehave, misbehaveMillis);
    }

    @Override
    public SynthesisTask create(Plan plan) {
        return context -> run(plan, context);
    }

    private static TaskResult run(Plan plan, TaskContext context) throws TaskException {
        int steps = plan.steps();
        long delay = plan.delayMillis();
        boolean classify = plan.classify();
        String failWith = plan.failWith();
        Image image = plan.image();
        misbehave(plan, context);
        for (int step = 1; step <= steps; step++) {
            pause(context, delay, step - 1, steps);
            context.progress().report(new Progress("echo", step, steps, Map.of("step", (double) step), List.of()));
        }
        Map<String, Object> imageMetadata = new LinkedHashMap<>();
        if (classify) {
            Prediction prediction = context.model().classify(List.of(image)).get(0);
            int top = prediction.topClass();
            imageMetadata.put("topClass", context.model().info().classes().get(top));
            imageMetadata.put("probability", (double) prediction.probability(top));
        }
        if (failWith != null) {
            throw new TaskException(ErrorCode.valueOf(failWith), "echo was asked to fail with " + failWith);
        }
        return new TaskResult(List.of(new ResultImage("result", image, imageMetadata)),
                Map.of("steps", steps, "classified", classify));
    }

    private static void misbehave(Plan plan, TaskContext context) throws TaskException {
        switch (plan.misbehave()) {
            case THROW_ERROR -> {
                long[] impossible = new long[Integer.MAX_VALUE];
                throw new IllegalStateException("allocated " + impossible.length + " longs");
            }
            case STACK_OVERFLOW -> throw new IllegalStateException("recursed " + recurse(0) + " frames deep");
            case HANG -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TaskException(ErrorCode.UNAVAILABLE, "echo task '" + context.request().id()
                            + "' was interrupted while it hung");
                }
            }
            case SPIN -> {
                long end = System.nanoTime() + plan.misbehaveMillis() * 1_000_000L;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
            }
            case IGNORE_CANCEL -> sleepDeaf(plan.misbehaveMillis());
            case NONE, HANG_IN_VALIDATE -> { }
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** Sleeps for {@code millis}, swallowing interrupts (and so deaf to every stop). */
    private static void sleepDeaf(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() - end < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                // deaf on purpose
            }
        }
    }

    private static void pause(TaskContext context, long millis, int done, int steps) throws TaskException {
        long end = System.nanoTime() + millis * 1_000_000L;
        do {
            if (context.cancelled()) {
                throw new TaskException(ErrorCode.CANCELLED, "echo task '" + context.request().id()
                        + "' was cancelled after " + done + " of " + steps + " steps");
            }
            if (context.deadline().map(d -> Instant.now().isAfter(d)).orElse(false)) {
                throw new TaskException(ErrorCode.DEADLINE_EXCEEDED, "echo task '" + context.request().id()
                        + "' passed its deadline " + context.deadline().get() + " after " + done + " of " + steps
                        + " steps");
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(10, Math.max(1, left / 1_000_000L)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskException(ErrorCode.UNAVAILABLE, "echo task '" + context.request().id()
                        + "' was interrupted (the service is stopping)");
            }
        } while (true);
    }

    private static String readSchema() {
        try (InputStream in = EchoTaskFactory.class.getResourceAsStream("echo.v1.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("echo.v1.schema.json is missing from the plugin jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
