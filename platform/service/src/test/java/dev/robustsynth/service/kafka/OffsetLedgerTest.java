package dev.robustsynth.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void commitsOnlyUpToTheFirstRecordStillPending() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.track(P0, 10);
        ledger.track(P0, 11);
        ledger.track(P0, 12);
        assertEquals(Map.of(P0, new OffsetAndMetadata(10)), ledger.toCommit());
        ledger.done(P0, 11);
        ledger.done(P0, 12);
        assertEquals(Map.of(P0, new OffsetAndMetadata(10)), ledger.toCommit(), "10 still runs");
        ledger.done(P0, 10);
        assertEquals(Map.of(P0, new OffsetAndMetadata(13)), ledger.toCommit());
        ledger.committed(ledger.toCommit());
        assertEquals(Map.of(), ledger.toCommit(), "nothing new to commit");
        assertEquals(0, ledger.pending());
    }

    @Test
    void partitionsAreIndependentAndForgottenOnesIgnoreLateCompletions() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.track(P0, 0);
        ledger.track(P1, 5);
        ledger.done(P1, 5);
        assertEquals(Map.of(P0, new OffsetAndMetadata(0), P1, new OffsetAndMetadata(6)), ledger.toCommit());
        ledger.forget(List.of(P0));
        ledger.done(P0, 0);
        assertEquals(Map.of(P1, new OffsetAndMetadata(6)), ledger.toCommit());
        assertEquals(0, ledger.pending());
    }
}
