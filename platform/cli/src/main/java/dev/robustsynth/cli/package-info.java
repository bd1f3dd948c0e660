/**
 * A Kafka client for RobustSynth's wire contract v1 ({@code docs/MESSAGES.md}).
 *
 * <p>{@link dev.robustsynth.cli.RsynthClient} publishes task requests on {@code rsynth.tasks} and
 * cancellations on {@code rsynth.control}, each with CloudEvents binary-mode headers, and follows
 * {@code rsynth.progress} and {@code rsynth.results} through one consumer that is assigned every
 * partition and positioned at the end (or at a timestamp) <em>before</em> anything is submitted, so
 * a result published a millisecond after the request is never missed.
 *
 * <p>Messages are plain records ({@link dev.robustsynth.cli.TaskSubmission},
 * {@link dev.robustsynth.cli.ProgressEvent}, {@link dev.robustsynth.cli.TaskOutcome}); the JSON
 * mapping lives in one place, {@link dev.robustsynth.cli.WireFormat}. The package depends on
 * kafka-clients and jackson-databind only; the {@code rsynth} command is in
 * {@code dev.robustsynth.cli.command}.
 */
package dev.robustsynth.cli;
