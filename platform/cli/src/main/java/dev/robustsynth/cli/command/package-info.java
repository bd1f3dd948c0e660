/**
 * The {@code rsynth} command line, built with picocli on {@link dev.robustsynth.cli.RsynthClient}.
 *
 * <p>{@link dev.robustsynth.cli.command.SubmitCommand} turns options into a request (parameters
 * parsed as JSON when they parse, images read from files and sent inline), follows the task with a
 * progress bar on stderr and writes the result's images as PNG files beside the result JSON
 * ({@link dev.robustsynth.cli.command.OutcomeWriter}). Exit codes ({@link dev.robustsynth.cli.command.ExitCodes})
 * tell scripts what happened: 0 only when the task succeeded.
 */
package dev.robustsynth.cli.command;
