package dev.robustsynth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.cli.RsynthClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where the CLI's Kafka settings come from: -b/-k, the --config file, KAFKA_* variables, in that order. */
class KafkaOptionsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"rsynth-client\" password=\"s3cret\";";

    @TempDir
    Path temp;

    private Path configFile(String text) throws Exception {
        Path file = temp.resolve("kafka.properties");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static RsynthClientConfig config(Map<String, String> env, String... args) {
        return CommandLine.populateCommand(new KafkaOptions(), args).configBuilder(env).build();
    }

    @Test
    void aConfigFileCarriesTheSecuredSettingsSoNoPasswordIsOnTheCommandLine() throws Exception {
        Path file = configFile("""
                kafka.bootstrap.servers=broker-1:9093
                kafka.security.protocol=SASL_SSL
                kafka.sasl.mechanism=SCRAM-SHA-512
                kafka.sasl.jaas.config=%s
                kafka.ssl.truststore.type=PEM
                kafka.ssl.truststore.location=/etc/rsynth/ca.crt
                """.formatted(JAAS));
        RsynthClientConfig config = config(Map.of(), "--config", file.toString());
        assertEquals("broker-1:9093", config.bootstrapServers());
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS, "ssl.truststore.type", "PEM",
                "ssl.truststore.location", "/etc/rsynth/ca.crt"), config.kafkaProperties());
    }

    @Test
    void everyKafkaClientKeyHasItsEnvironmentVariableAndKafkasScriptVariablesAreIgnored() {
        RsynthClientConfig config = config(Map.of("KAFKA_BOOTSTRAP_SERVERS", "env-broker:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/ca.crt", "KAFKA_MAX_REQUEST_SIZE", "9000000",
                "KAFKA_AUTO_OFFSET_RESET", "earliest", "KAFKA_HEAP_OPTS", "-Xmx1g", "KAFKA_HOME", "/opt/kafka",
                "RSYNTH_BOOTSTRAP", "ignored:1"));
        assertEquals("env-broker:9093", config.bootstrapServers());
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/ca.crt", "max.request.size", "9000000",
                "auto.offset.reset", "earliest"), config.kafkaProperties());
    }

    @Test
    void theCommandLineOutranksTheFileWhichOutranksTheEnvironment() throws Exception {
        Path file = configFile("kafka.bootstrap.servers=file:1\nkafka.sasl.mechanism=SCRAM-SHA-512\n"
                + "kafka.client.dns.lookup=use_all_dns_ips\n");
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:1", "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_CLIENT_DNS_LOOKUP", "default");
        RsynthClientConfig fromFile = config(env, "--config", file.toString(), "-k", "client.dns.lookup=x");
        assertEquals("file:1", fromFile.bootstrapServers());
        assertEquals(Map.of("sasl.mechanism", "SCRAM-SHA-512", "security.protocol", "SASL_SSL",
                "client.dns.lookup", "x"), fromFile.kafkaProperties());
        assertEquals("cli:1", config(env, "--config", file.toString(), "-b", "cli:1").bootstrapServers());
        assertEquals("rsynth:1", config(Map.of("RSYNTH_BOOTSTRAP", "rsynth:1")).bootstrapServers());
        assertEquals(KafkaOptions.DEFAULT_BOOTSTRAP, config(Map.of()).bootstrapServers());
    }

    @Test
    void aConfigFileWithAKeyOutsideKafkaIsRefusedNamingIt() throws Exception {
        Path file = configFile("kafka.security.protocol=SASL_SSL\nsasl.jaas.config=forgot-the-prefix\n");
        CliRun run = CliRun.of("cancel", "--config", file.toString(), "job-1");
        assertEquals(ExitCodes.ERROR, run.exit(), run::toString);
        assertTrue(run.err().contains("Kafka config file " + file + " may hold only kafka.* keys, found "
                + "[sasl.jaas.config]"), run::toString);
        assertFalse(run.err().contains("forgot-the-prefix"), "values (passwords) are never echoed");
    }
}
