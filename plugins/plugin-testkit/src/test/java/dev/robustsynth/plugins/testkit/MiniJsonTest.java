package dev.robustsynth.plugins.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {
    @Test
    void readsNestedValues() {
        Map<String, Object> v = MiniJson.parseObject(
                "{\"a\": [1, -2.5e1, true, null], \"b\": {\"c\": \"x\\\"\\u0041\"}}");
        assertEquals(Arrays.asList(1.0, -25.0, true, null), v.get("a"));
        assertEquals(Map.of("c", "x\"A"), v.get("b"));
    }

    @Test
    void rejectsWhatJsonRejects() {
        for (String bad : List.of("{\"a\": 1,}", "{\"a\": 1, \"a\": 2}", "[01]", "{} x", "{'a': 1}")) {
            assertThrows(IllegalArgumentException.class, () -> MiniJson.parse(bad), bad);
        }
    }
}
