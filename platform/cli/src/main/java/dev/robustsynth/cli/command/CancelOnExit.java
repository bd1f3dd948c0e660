package dev.robustsynth.cli.command;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import java.io.PrintWriter;

/**
 * Sends a cancel for a submitted task when the JVM is stopped (Ctrl-C, SIGTERM) before its result
 * arrived. Registered before the request is published and armed right after, so there is no window
 * in which a published task can be abandoned without a cancel.
 */
final class CancelOnExit implements AutoCloseable {
    private final Thread hook;
    private volatile boolean armed;
    private volatile boolean done;

    CancelOnExit(RsynthClient client, String id, PrintWriter err, boolean enabled) {
        this.hook = enabled ? Thread.ofPlatform().name("rsynth-cancel-on-exit").unstarted(() -> {
            if (armed && !done) {
                try {
                    client.cancel(id);
                    err.println();
                    err.println("rsynth: interrupted; cancel sent for " + id);
                } catch (RsynthClientException | RuntimeException e) {
                    err.println("rsynth: interrupted; could not send cancel for " + id + ": " + e.getMessage());
                }
                err.flush();
            }
        }) : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** The request is published: from now on an interruption cancels it. */
    void arm() {
        armed = true;
    }

    /** The task ended (or was never published): nothing to cancel any more. */
    @Override
    public void close() {
        done = true;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }
}
