package dev.robustsynth.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
        assertEquals(Map.of(P0, 10L), ledger.committable());
        ledger.done(P0, 11);
        ledger.done(P0, 12);
        assertEquals(Map.of(P0, 10L), ledger.committable(), "10 still runs");
        ledger.done(P0, 10);
        assertEquals(Map.of(P0, 13L), ledger.committable());
        assertTrue(ledger.moved());
        ledger.committed(ledger.committable());
        assertFalse(ledger.moved(), "nothing new to commit");
        assertEquals(0, ledger.pending());
    }

    @Test
    void aRecordDeliveredAgainWhilePendingIsNotTrackedTwice() {
        OffsetLedger ledger = new OffsetLedger();
        assertTrue(ledger.track(P0, 3));
        assertFalse(ledger.track(P0, 3));
        assertEquals(1, ledger.pending());
    }

    @Test
    void partitionsAreIndependentAndForgottenOnesIgnoreLateCompletions() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.track(P0, 0);
        ledger.track(P1, 5);
        ledger.done(P1, 5);
        assertEquals(Map.of(P0, 0L, P1, 6L), ledger.committable());
        assertEquals(Map.of(P0, List.of(0L)), ledger.forget(List.of(P0)));
        ledger.done(P0, 0);
        assertEquals(Map.of(P1, 6L), ledger.committable());
        assertEquals(0, ledger.pending());
    }

    @Test
    void spaceCompletesOnlyOnceFewerThanCapacityArePending() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.track(P0, 0);
        ledger.track(P0, 1);
        CompletableFuture<Void> space = ledger.space(2);
        assertFalse(space.isDone());
        ledger.done(P0, 1);
        assertTrue(space.isDone());
        ledger.track(P1, 0);
        CompletableFuture<Void> again = ledger.space(2);
        assertFalse(again.isDone());
        ledger.forget(List.of(P1));
        assertTrue(again.isDone(), "a revoked partition's records free their places");
    }
}
