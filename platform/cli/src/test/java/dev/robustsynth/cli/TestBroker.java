package dev.robustsynth.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real single-node KRaft broker (combined broker + controller) for the whole test JVM, with the
 * contract's topics (the bulk-job ones included, the status topic compacted) created at 3 partitions each (so the client's "assign every partition" is
 * exercised), and one {@link ContractResponder} playing the service. Closed by a shutdown hook.
 */
public final class TestBroker {
    public static final int PARTITIONS = 3;

    private static KafkaClusterTestKit cluster;
    private static Path baseDir;
    private static ContractResponder responder;
    private static JobResponder jobResponder;
    private static long startMillis;

    private TestBroker() {
    }

    public static synchronized String bootstrap() {
        if (cluster == null) {
            start();
        }
        return cluster.bootstrapServers();
    }

    public static synchronized ContractResponder responder() {
        bootstrap();
        return responder;
    }

    /** The bulk-job side of the service, started on first use; its item tasks are answered by {@link #responder()}. */
    public static synchronized JobResponder jobResponder() {
        bootstrap();
        if (jobResponder == null) {
            jobResponder = new JobResponder(cluster.bootstrapServers(), RsynthTopics.defaults());
        }
        return jobResponder;
    }

    /** How long the broker took to format, start and become ready. */
    public static long startMillis() {
        return startMillis;
    }

    private static void start() {
        long t0 = System.nanoTime();
        try {
            // our own directory, deleted after close: Kafka's default one is deleted by a shutdown hook
            // that races the broker's own shutdown
            baseDir = Files.createTempDirectory("rsynth-cli-test-kafka");
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setBaseDirectory(baseDir)
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setDeleteOnClose(false)
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("message.max.bytes", Integer.toString(4 * 1024 * 1024))
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            cluster = kit;
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                List<NewTopic> topics = new java.util.ArrayList<>(topicNames().stream()
                        .map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList());
                topics.add(new NewTopic(RsynthTopics.defaults().jobStatus(), PARTITIONS, (short) 1)
                        .configs(java.util.Map.of("cleanup.policy", "compact")));
                admin.createTopics(topics).all().get();
            }
            startMillis = (System.nanoTime() - t0) / 1_000_000;
            System.err.println("test broker ready at " + kit.bootstrapServers() + " in " + startMillis + " ms");
            responder = new ContractResponder(kit.bootstrapServers(), RsynthTopics.defaults());
            Runtime.getRuntime().addShutdownHook(new Thread(TestBroker::stop));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker: " + e, e);
        }
    }

    private static synchronized void stop() {
        try {
            if (jobResponder != null) {
                jobResponder.close();
            }
            if (responder != null) {
                responder.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (baseDir != null) {
                try (Stream<Path> files = Files.walk(baseDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (Exception e) {
            System.err.println("test broker close: " + e);
        }
    }

    /** The topics of the contract, including the DLQ. */
    private static List<String> topicNames() {
        RsynthTopics t = RsynthTopics.defaults();
        return List.of(t.tasks(), t.results(), t.progress(), t.control(), WireContract.DLQ_TOPIC, t.jobs());
    }
}
