package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads the control topic on its own thread. Every instance must see every command (the task to cancel may run
 * anywhere), so this consumer has no group: it assigns itself all partitions and starts at their end.
 */
public final class ControlListener implements Runnable {
    private static final Logger LOG = Logger.getLogger(ControlListener.class);

    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Consumer<ConsumerRecord<byte[], byte[]>> onCommand;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile boolean stopping;

    public ControlListener(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, String topic,
                           Consumer<ConsumerRecord<byte[], byte[]>> onCommand) {
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.onCommand = requireNonNull(onCommand, "onCommand is null");
    }

    public Thread start() {
        Thread thread = new Thread(this, "rsynth-control-consumer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits until the listener is positioned at the end of every partition. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (!stopping && partitions.isEmpty()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                partitions = infos == null ? List.of()
                        : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, so commands sent from here on are seen
            ready.countDown();
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        onCommand.accept(record);
                    } catch (RuntimeException e) {
                        LOG.warnf("control command at %s-%d@%d failed: %s", record.topic(), record.partition(),
                                record.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException e) {
            LOG.errorf(e, "the control consumer stopped; cancellation commands are not read");
        } finally {
            consumer.close(Duration.ofSeconds(2));
            exited.countDown();
        }
    }

    public void stop() throws InterruptedException {
        stopping = true;
        consumer.wakeup();
        exited.await(5, TimeUnit.SECONDS);
    }

    public boolean running() {
        return exited.getCount() > 0;
    }
}
