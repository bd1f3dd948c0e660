package dev.robustsynth.service.intake;

/** What the intake makes of a record: a runnable {@link TaskEnvelope} or a {@link Rejection}. */
public sealed interface Intake permits TaskEnvelope, Rejection {
    String id();

    String type();
}
