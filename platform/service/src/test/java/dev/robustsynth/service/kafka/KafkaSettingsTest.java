package dev.robustsynth.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {
    private static SmallRyeConfig config(Map<String, String> properties, Map<String, String> systemProperties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new PropertiesConfigSource(systemProperties, "system", 400))
                .build();
    }

    @Test
    void everyKafkaVariableThatIsAClientKeyBecomesThatKeyAndOthersAreIgnored() {
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/ca.crt",
                "KAFKA_TRANSACTION_TIMEOUT_MS", "20000",
                "KAFKA_BOOTSTRAP_CONTROLLERS", "ctl:9094",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "KAFKA_HOME", "/opt/kafka",
                "RSYNTH_INSTANCE", "a");
        Map<String, String> common = KafkaSettings.fromConfig(config(Map.of(), Map.of()), env).common();
        assertEquals(Map.of("bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/etc/ca.crt",
                "transaction.timeout.ms", "20000", "bootstrap.controllers", "ctl:9094"), common);
    }

    @Test
    void aSystemPropertyOutranksTheVariableWhichOutranksApplicationProperties() {
        Map<String, String> env = Map.of("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_CLIENT_RACK", "env-rack");
        KafkaSettings s = KafkaSettings.fromConfig(config(
                Map.of("kafka.sasl.mechanism", "PLAIN", "kafka.client.rack", "file-rack", "kafka.acks", "all"),
                Map.of("kafka.client.rack", "sys-rack")), env);
        assertEquals("SCRAM-SHA-512", s.common().get("sasl.mechanism"));
        assertEquals("sys-rack", s.common().get("client.rack"));
        assertEquals("all", s.common().get("acks"));
    }

    @Test
    void aVariableIsTakenVerbatimSoAConfigProviderReferenceReachesKafka() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" "
                + "password=\"${directory:/secrets/kafka:password}\";";
        KafkaSettings s = KafkaSettings.fromConfig(config(Map.of(), Map.of()), Map.of(
                "KAFKA_SASL_JAAS_CONFIG", jaas,
                "KAFKA_CONFIG_PROVIDERS", "directory",
                "KAFKA_CONFIG_PROVIDERS_DIRECTORY_CLASS",
                "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                "KAFKA_CONFIG_PROVIDERS_DIRECTORY_PARAM_ALLOWED_PATHS", "/secrets"));
        assertEquals(jaas, s.common().get("sasl.jaas.config"));
        assertEquals("directory", s.common().get("config.providers"));
        assertEquals("org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                s.common().get("config.providers.directory.class"));
        assertEquals("/secrets", s.common().get("config.providers.directory.param.allowed.paths"));
    }

    @Test
    void aKafkaClientResolvesThePasswordFromTheMountedSecretFile(@TempDir Path secrets) throws Exception {
        Files.writeString(secrets.resolve("password"), "s3cret-from-file");
        KafkaSettings s = KafkaSettings.fromConfig(config(Map.of(), Map.of()), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"svc\" password=\"${directory:" + secrets + ":password}\";",
                "KAFKA_CONFIG_PROVIDERS", "directory",
                "KAFKA_CONFIG_PROVIDERS_DIRECTORY_CLASS",
                "org.apache.kafka.common.config.provider.DirectoryConfigProvider"));
        Properties reader = s.reader("test");
        ConsumerConfig resolved = new ConsumerConfig(reader);
        String login = resolved.getPassword(SaslConfigs.SASL_JAAS_CONFIG).value();
        assertTrue(login.contains("password=\"s3cret-from-file\""), login);
        assertFalse(login.contains("${"), login);
    }
}
