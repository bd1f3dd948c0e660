package dev.robustsynth.service;

import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.kafka.KafkaChannelConfig;
import dev.robustsynth.service.kafka.KafkaSettings;
import dev.robustsynth.service.kafka.OutcomeCommitter;
import dev.robustsynth.service.kafka.RecordSender;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

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

    /** Progress is fire and forget: past 1,024 waiting events, sends are refused and counted lost. */
    @Inject
    @Channel(KafkaChannelConfig.PROGRESS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<byte[]> progress;

    @Inject
    @Channel(KafkaChannelConfig.ATTEMPTS)
    MutinyEmitter<byte[]> attempts;

    private volatile ServiceAssembly assembly;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        assembly = ServiceAssembly.start(config, KafkaSettings.fromConfig(ConfigProvider.getConfig()), registry,
                Thread.currentThread().getContextClassLoader(),
                new ServiceAssembly.Senders(RecordSender.of(progress), RecordSender.of(attempts)));
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
