package dev.robustsynth.service;

import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the {@link ServiceAssembly} when Quarkus starts (the embedded broker first, when no
 * {@code kafka.bootstrap.servers} is configured) and stops it gracefully when Quarkus stops.
 */
@ApplicationScoped
public class ServiceLifecycle {
    @Inject
    RsynthConfig config;

    @Inject
    MeterRegistry registry;

    private volatile ServiceAssembly assembly;

    void onStart(@Observes StartupEvent event) {
        assembly = ServiceAssembly.start(config, KafkaSettings.fromConfig(ConfigProvider.getConfig()), registry,
                Thread.currentThread().getContextClassLoader());
    }

    void onStop(@Observes ShutdownEvent event) {
        ServiceAssembly running = assembly;
        if (running != null) {
            running.close();
        }
    }

    /** The running service; null before start and after a failed start. */
    public ServiceAssembly assembly() {
        return assembly;
    }
}
