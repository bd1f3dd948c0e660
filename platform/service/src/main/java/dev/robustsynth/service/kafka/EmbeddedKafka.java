package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

/**
 * A single-node KRaft broker (broker and controller in one) inside the service's JVM, for the local default: one
 * command runs everything. Its data directory survives restarts, so committed offsets (and uncommitted records)
 * do too. It listens on localhost only.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);
    private static final String CLUSTER_ID_FILE = "cluster.id";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dir;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
    }

    /**
     * Formats {@code dir} on first use and starts the broker.
     *
     * @param port            the client port on localhost (0 = a free one)
     * @param controllerPort  the controller port on localhost (0 = a free one)
     * @param maxMessageBytes the largest record the broker accepts
     */
    public static EmbeddedKafka start(Path dir, int port, int controllerPort, int maxMessageBytes) {
        requireNonNull(dir, "dir is null");
        long started = System.nanoTime();
        try {
            Path data = Files.createDirectories(dir.toAbsolutePath().resolve("data"));
            int clientPort = port == 0 ? freePort() : port;
            int quorumPort = controllerPort == 0 ? freePort() : controllerPort;
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@localhost:" + quorumPort);
            props.put("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + quorumPort);
            props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("log.dirs", data.toString());
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("num.partitions", "1");
            props.put("auto.create.topics.enable", "true");
            props.put("message.max.bytes", Integer.toString(Math.max(maxMessageBytes + 65_536, 1_048_588)));
            props.put("replica.fetch.max.bytes", Integer.toString(Math.max(maxMessageBytes + 65_536, 1_048_576)));
            props.put("log.retention.hours", "168");
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(dir.toAbsolutePath(), data);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "localhost:" + clientPort;
            LOG.infof("embedded Kafka broker (KRaft, single node) listening on %s, data in %s, started in %d ms",
                    bootstrap, data, (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedKafka(server, bootstrap, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded Kafka directory " + dir, e);
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Kafka broker did not start (data in " + dir + "): " + e, e);
        }
    }

    private static void format(Path dir, Path data) throws Exception {
        Path idFile = dir.resolve(CLUSTER_ID_FILE);
        if (Files.exists(data.resolve("meta.properties"))) {
            return;
        }
        String clusterId = Files.exists(idFile) ? Files.readString(idFile).strip() : Uuid.randomUuid().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
                .setNodeId(1)
                .setClusterId(clusterId)
                .setDirectories(List.of(data.toString()))
                .setMetadataLogDirectory(data.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .setIgnoreFormatted(true)
                .run();
        Files.writeString(idFile, clusterId);
        LOG.infof("formatted embedded Kafka storage %s (cluster %s): %s", data, clusterId,
                out.toString(StandardCharsets.UTF_8).strip());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        LOG.infof("embedded Kafka broker stopped in %d ms", (System.nanoTime() - started) / 1_000_000);
    }
}
