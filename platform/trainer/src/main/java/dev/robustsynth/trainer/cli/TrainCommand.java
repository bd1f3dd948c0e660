package dev.robustsynth.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code train}, {@code evaluate}, {@code export}, {@code seeds}. */
@Command(name = "rsynth-train", mixinStandardHelpOptions = true, version = "rsynth-trainer 0.1",
        description = "Trains, evaluates and exports the RobustSynth classifiers.",
        subcommands = {TrainSubcommand.class, EvaluateCommand.class, ExportCommand.class, SeedsCommand.class})
public final class TrainCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainCommand()).execute(args));
    }
}
