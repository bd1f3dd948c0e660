package dev.robustsynth.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker in the test JVM whose client listener speaks SASL_SSL with SCRAM-SHA-512, behind
 * Kafka's {@code StandardAuthorizer}, provisioned from the deployment itself ({@link StrimziKafka}): every
 * {@code KafkaUser} of {@code deploy/k8s/kafka/users.yaml} becomes a SCRAM user with a password made up here and
 * exactly that user's ACLs, and every {@code KafkaTopic} of {@code topics.yaml} a topic with its partitions and
 * configuration (replication 1, {@code min.insync.replicas} 1). What a test proves about these principals therefore
 * holds for the manifests:
 * <ul>
 *   <li>{@link #SERVICE} ({@code rsynth-service}) reads tasks and control, writes results, progress and the DLQ,
 *       reads results back and reads/writes attempts, uses groups {@code rsynth-service*} and transactional ids
 *       {@code rsynth-rsynth-service*};</li>
 *   <li>{@link #CLIENT} ({@code rsynth-client}) writes tasks and control and reads results and progress (no group:
 *       its readers assign);</li>
 *   <li>{@link #PLAYGROUND} ({@code rsynth-playground}), the service's browser gateway, the same as the client.</li>
 * </ul>
 * The test makes its own certificates with the JDK's {@code keytool}: a CA, and a broker certificate for
 * {@code localhost}/{@code 127.0.0.1} signed by it; clients trust the CA as a PEM file ({@link #caCertificate}), as
 * the Kubernetes manifests do. The broker's own inter-broker login is PLAIN as super user {@code admin} on the same
 * listener; the controller listener is PLAINTEXT on localhost (its ANONYMOUS principal is a super user, as the
 * controller needs). All topics exist before any client connects: no principal but admin may create topics.
 */
public final class SecuredBroker implements AutoCloseable {
    /** A SCRAM-SHA-512 login. */
    public record Principal(String user, String password) {
        public String jaasConfig() {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + password + "\";";
        }
    }

    /** Every KafkaUser of users.yaml, by name, each with a password made up for this JVM. */
    public static final Map<String, Principal> PRINCIPALS = principals();
    public static final Principal SERVICE = principal("rsynth-service");
    public static final Principal CLIENT = principal("rsynth-client");
    public static final Principal PLAYGROUND = principal("rsynth-playground");
    public static final Principal JOBS = principal("rsynth-jobs");
    public static final Principal OPERATOR = principal("rsynth-operator");
    /** The topics of topics.yaml. */
    public static final List<String> TOPICS = StrimziKafka.topics().stream().map(StrimziKafka.Topic::name).toList();
    /** Prefix of the consumer groups the service principal may use (its group id, e.g. {@code rsynth-service}). */
    public static final String SERVICE_GROUP_PREFIX = "rsynth-service";
    /** Prefix of the service's transactional ids: {@code "rsynth-" + group id + "-" + instance}. */
    public static final String SERVICE_TRANSACTIONAL_PREFIX = "rsynth-rsynth-service";

    private static final String LISTENER = "EXTERNAL";
    private static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());

    private final KafkaClusterTestKit cluster;
    private final Path caCertificate;

    private SecuredBroker(KafkaClusterTestKit cluster, Path caCertificate) {
        this.cluster = cluster;
        this.caCertificate = caCertificate;
    }

    /** Generates the certificates under {@code dir}, starts the broker, creates the topics, users and ACLs. */
    public static SecuredBroker start(Path dir) {
        return start(dir, acl -> true);
    }

    /** {@link #start(Path)} with only those ACLs of users.yaml that {@code keep} accepts (to prove each is needed). */
    public static SecuredBroker start(Path dir, Predicate<AclBinding> keep) {
        KafkaClusterTestKit cluster = null;
        try {
            Files.createDirectories(dir);
            String storePassword = "store-" + Long.toHexString(System.nanoTime());
            Path ca = certificates(dir, storePassword);
            String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                    + "password=\"" + ADMIN_PASSWORD + "\" user_admin=\"" + ADMIN_PASSWORD + "\";";
            String prefix = "listener.name." + LISTENER.toLowerCase() + ".";
            cluster = TestBroker.singleNode(new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setBrokerListenerName(new ListenerName(LISTENER))
                    .setControllerListenerName(new ListenerName("CONTROLLER"))
                    .setBaseDirectory(Files.createDirectories(dir.resolve("kafka"))).build()))
                    .setConfigProp("listener.security.protocol.map", LISTENER + ":SASL_SSL,CONTROLLER:PLAINTEXT")
                    .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                    .setConfigProp("sasl.mechanism.inter.broker.protocol", "PLAIN")
                    .setConfigProp(prefix + "plain.sasl.jaas.config", plain)
                    .setConfigProp(prefix + "scram-sha-512.sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                    .setConfigProp("ssl.keystore.type", "PKCS12")
                    .setConfigProp("ssl.keystore.location", dir.resolve("broker.p12").toString())
                    .setConfigProp("ssl.keystore.password", storePassword)
                    .setConfigProp("ssl.key.password", storePassword)
                    .setConfigProp("ssl.truststore.type", "PEM")
                    .setConfigProp("ssl.truststore.location", ca.toString())
                    .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .setConfigProp("super.users", "User:admin;User:ANONYMOUS")
                    .setConfigProp("allow.everyone.if.no.acl.found", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            SecuredBroker broker = new SecuredBroker(cluster, ca);
            broker.provision(keep);
            return broker;
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("the secured test Kafka broker did not start: " + e, e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The CA that signed the broker's certificate, PEM. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** Kafka client properties (no bootstrap servers) that log in as {@code principal} over SASL_SSL. */
    public Map<String, String> clientProperties(Principal principal) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, principal.jaasConfig());
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caCertificate.toString());
        return p;
    }

    /** {@link #clientProperties} plus bootstrap servers, as {@code java.util.Properties} for a Kafka client. */
    public Properties clientConfig(Principal principal) {
        Properties p = new Properties();
        p.putAll(clientProperties(principal));
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /**
     * Writes the {@code kafka.*} properties file ({@code rsynth --config}, or the service's configuration) that logs in
     * as {@code principal}, readable by its owner only.
     */
    public Path writeConfigFile(Path file, Principal principal) {
        StringBuilder text = new StringBuilder("kafka.bootstrap.servers=" + bootstrapServers() + "\n");
        clientProperties(principal).forEach((k, v) -> text.append("kafka.").append(k).append('=')
                .append(v.replace("\\", "\\\\")).append('\n'));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An admin client logged in as the super user. */
    public Admin admin() {
        return Admin.create(superUserConfig());
    }

    /**
     * Client properties (bootstrap servers included) of the broker's super user {@code admin}, for what no deployment
     * principal may do (an operator reading the DLQ, a test changing ACLs).
     */
    public Properties superUserConfig() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"admin\" password=\"" + ADMIN_PASSWORD + "\";");
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caCertificate.toString());
        return p;
    }

    private void provision(Predicate<AclBinding> keep) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(StrimziKafka.topics().stream().map(t -> {
                Map<String, String> config = new LinkedHashMap<>(t.config());
                config.remove("min.insync.replicas");
                return new NewTopic(t.name(), t.partitions(), (short) 1).configs(config);
            }).toList()).all().get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(PRINCIPALS.values().stream()
                    .map(u -> (org.apache.kafka.clients.admin.UserScramCredentialAlteration)
                            new UserScramCredentialUpsertion(u.user(),
                                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), u.password()))
                    .toList()).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = StrimziKafka.users().stream().flatMap(u -> u.acls().stream()).filter(keep).toList();
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            awaitPropagation(admin, acls.size());
        }
    }

    private static Map<String, Principal> principals() {
        Map<String, Principal> byName = new LinkedHashMap<>();
        for (StrimziKafka.User user : StrimziKafka.users()) {
            byName.put(user.name(), new Principal(user.name(), user.name() + "-" + Long.toHexString(System.nanoTime())));
        }
        return Map.copyOf(byName);
    }

    private static Principal principal(String user) {
        Principal p = PRINCIPALS.get(user);
        if (p == null) {
            throw new IllegalStateException("deploy/k8s/kafka/users.yaml has no KafkaUser " + user);
        }
        return p;
    }

    /** Until the broker lists every ACL and every SCRAM user can log in. */
    private void awaitPropagation(Admin admin, int aclCount) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS).size() < aclCount) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the ACLs did not propagate within 30 s");
            }
            Thread.sleep(100);
        }
        for (Principal principal : PRINCIPALS.values()) {
            while (true) {
                try (Admin as = Admin.create(clientConfig(principal))) {
                    as.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                    break;
                } catch (Exception e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException(principal.user() + " cannot log in: " + e, e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    /** A CA and a broker key pair with a certificate for localhost signed by it, made with the JDK's keytool. */
    private static Path certificates(Path dir, String password) throws IOException, InterruptedException {
        Path caStore = dir.resolve("ca.p12");
        Path brokerStore = dir.resolve("broker.p12");
        Path ca = dir.resolve("ca.crt");
        Path csr = dir.resolve("broker.csr");
        Path signed = dir.resolve("broker.crt");
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=rsynth-test-ca", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-ext", "bc:c", "-keystore", caStore.toString(), "-storetype", "PKCS12",
                "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", password,
                "-file", ca.toString());
        keytool("-genkeypair", "-alias", "broker", "-dname", "CN=localhost", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-keystore", brokerStore.toString(), "-storetype", "PKCS12",
                "-storepass", password, "-keypass", password);
        keytool("-certreq", "-alias", "broker", "-keystore", brokerStore.toString(), "-storepass", password,
                "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", password,
                "-infile", csr.toString(), "-outfile", signed.toString(), "-rfc", "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "KU=digitalSignature,keyEncipherment",
                "-ext", "EKU=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", ca.toString(), "-keystore",
                brokerStore.toString(), "-storepass", password);
        keytool("-importcert", "-alias", "broker", "-file", signed.toString(), "-keystore", brokerStore.toString(),
                "-storepass", password);
        return ca;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
