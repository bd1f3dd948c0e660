import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the wire contract's topics if they are missing (single-file program, run by create-topics.sh).
 * Usage: java -cp 'lib/*' CreateTopics.java BOOTSTRAP PARTITIONS REPLICATION
 */
public class CreateTopics {
    static final List<String> TOPICS = List.of("rsynth.tasks", "rsynth.results", "rsynth.progress",
            "rsynth.control", "rsynth.tasks.dlq");

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "localhost:9092";
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        short replication = args.length > 2 ? Short.parseShort(args[2]) : 1;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = TOPICS.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replication)
                            .configs(Map.of("max.message.bytes", "8388608")))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            for (String t : TOPICS) {
                int n = admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions().size();
                System.out.println((existing.contains(t) ? "exists  " : "created ") + t + " (" + n + " partitions)");
            }
        }
    }
}
