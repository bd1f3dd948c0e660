package dev.robustsynth.pluginhost;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects the formatted log lines of the plugin host (System.Logger goes to java.util.logging in tests). */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(PluginHost.class.getName());
    private final SimpleFormatter formatter = new SimpleFormatter();
    final List<String> warnings = new CopyOnWriteArrayList<>();

    LogCapture() {
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(formatter.formatMessage(record));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
