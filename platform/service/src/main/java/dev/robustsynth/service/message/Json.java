package dev.robustsynth.service.message;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of the wire path. It is Jackson 3 because the schema validator (json-schema-validator 3.x) works on
 * Jackson 3 trees; Quarkus' own Jackson 2 serves only the HTTP API. The two live in different packages.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** @throws JacksonException when {@code bytes} is not one JSON value */
    public static JsonNode parse(byte[] bytes) {
        return MAPPER.readTree(bytes);
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** A JSON tree as plain Java values: Map, List, String, Long/BigInteger, Double/BigDecimal, Boolean, null. */
    public static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), toPlain(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                list.add(toPlain(item));
            }
            return list;
        }
        if (node.isIntegralNumber()) {
            BigInteger big = node.bigIntegerValue();
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (node.isNumber()) {
            BigDecimal decimal = node.decimalValue();
            double d = decimal.doubleValue();
            return Double.isFinite(d) ? (Object) d : decimal;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asString();
    }

    /** Plain Java values (maps, lists, strings, numbers, booleans, arrays of those) as a JSON tree. */
    public static JsonNode fromPlain(Object value) {
        return MAPPER.valueToTree(value);
    }
}
