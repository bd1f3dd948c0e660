package dev.robustsynth.autodiff.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rule table: one entry per supported operator type of the default ONNX domain. Adding an
 * operator means adding one {@link OpRule} to one of the themed rule classes.
 */
public final class OpRegistry {
  private static final Map<String, OpRule> RULES = build();

  private OpRegistry() {}

  private static Map<String, OpRule> build() {
    List<OpRule> all = new ArrayList<>();
    all.addAll(ElementwiseRules.all());
    all.addAll(LinearRules.all());
    all.addAll(ShapeRules.all());
    all.addAll(NormRules.all());
    all.addAll(ConvRules.all());
    all.addAll(PoolRules.all());
    Map<String, OpRule> m = new TreeMap<>();
    for (OpRule r : all) {
      if (m.put(r.op(), r) != null) {
        throw new IllegalStateException("two rules for " + r.op());
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** The rule for an operator type, if supported. */
  public static Optional<OpRule> rule(String op) {
    return Optional.ofNullable(RULES.get(op));
  }

  /** Supported operator types, sorted. */
  public static List<String> supported() {
    return List.copyOf(RULES.keySet());
  }
}
