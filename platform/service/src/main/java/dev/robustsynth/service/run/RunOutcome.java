package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.spi.TaskResult;
import java.time.Instant;
import java.util.Optional;

/**
 * How one run ended: a result, or a failure with its code. Cancellation is a failure with code CANCELLED.
 *
 * @param result     the task's result when it succeeded
 * @param code       the failure's code when it did not
 * @param message    the failure's sentence
 * @param cause      the exception behind a failure
 * @param startedAt  when a worker took the task
 * @param finishedAt when the task returned or failed
 * @param steps      optimisation steps run through the model facade
 */
public record RunOutcome(Optional<TaskResult> result, Optional<FailureCode> code, String message,
                         Optional<Throwable> cause, Instant startedAt, Instant finishedAt, long steps) {
    public RunOutcome {
        requireNonNull(result, "result is null");
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(cause, "cause is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        if (result.isPresent() == code.isPresent()) {
            throw new IllegalArgumentException("an outcome is either a result or a failure");
        }
    }

    static RunOutcome success(TaskResult result, Instant startedAt, long steps) {
        return new RunOutcome(Optional.of(result), Optional.empty(), "", Optional.empty(), startedAt, Instant.now(),
                steps);
    }

    static RunOutcome failure(FailureCode code, String message, Throwable cause, Instant startedAt, long steps) {
        return new RunOutcome(Optional.empty(), Optional.of(code), message, Optional.ofNullable(cause), startedAt,
                Instant.now(), steps);
    }

    public boolean succeeded() {
        return result.isPresent();
    }

    /** {@code succeeded}, {@code cancelled} or {@code failed}, for metrics. */
    public String outcomeName() {
        return succeeded() ? "succeeded" : code.get() == FailureCode.CANCELLED ? "cancelled" : "failed";
    }

    /** Whether the request belongs on the dead-letter topic: run failures other than cancellation and deadline. */
    public boolean deadLetter() {
        return code.map(c -> c != FailureCode.CANCELLED && c != FailureCode.DEADLINE_EXCEEDED).orElse(false);
    }
}
