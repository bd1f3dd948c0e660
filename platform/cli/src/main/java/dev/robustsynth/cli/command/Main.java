package dev.robustsynth.cli.command;

import java.util.Arrays;
import java.util.List;

/** Entry point of {@code bin/rsynth}: sets the log level before Kafka's classes load, runs, exits. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        boolean verbose = Arrays.stream(args).anyMatch(a -> List.of("-v", "--verbose").contains(a));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "error");
        }
        System.exit(RsynthCommand.commandLine(true).execute(args));
    }
}
