package dev.robustsynth.service;

import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.kafka.ChannelSenders;
import dev.robustsynth.service.kafka.KafkaSettings;
import dev.robustsynth.service.kafka.OutcomeCommitter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the {@link ServiceAssembly} first thing at startup (before SmallRye Reactive Messaging connects the
 * channels, which need its embedded broker and its parts), and at shutdown drains the tasks channel
 * ({@link OutcomeCommitter#drain}) before the channels close, then stops the assembly.
 */
@ApplicationScoped
public class ServiceLifecycle {
    @Inject
    RsynthConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    OutcomeCommitter committer;

    @Inject
    ChannelSenders channels;

    private volatile ServiceAssembly assembly;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        assembly = ServiceAssembly.start(config, KafkaSettings.fromConfig(ConfigProvider.getConfig()), registry,
                Thread.currentThread().getContextClassLoader(),
                new ServiceAssembly.Senders(channels::progress, channels::attempts));
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        ServiceAssembly running = assembly;
        if (running != null) {
            committer.drain(config.shutdownGrace());
            running.close();
        }
    }

    /** The running service; null before start and after a failed start. */
    public ServiceAssembly assembly() {
        return assembly;
    }
}
