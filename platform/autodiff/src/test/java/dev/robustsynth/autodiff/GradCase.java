package dev.robustsynth.autodiff;

import ai.onnx.proto.OnnxMl.AttributeProto;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the operator gradient table: an operator with attributes applied to inputs, some of
 * which are derived from the image input (and so differentiated), checked by finite differences.
 *
 * @param name row name shown by JUnit
 * @param op operator type
 * @param attrs attributes
 * @param inputs inputs in order
 * @param opset source opset of the tiny model
 * @param kinked piecewise-linear op: inputs kept away from kinks, small step, linear loss only
 * @param tol bound on |FD − analytic| / Σ|g·v|
 */
record GradCase(String name, String op, List<AttributeProto> attrs, List<In> inputs, int opset, boolean kinked,
    double tol) {

  /** An input of the op. */
  sealed interface In permits Act, Weight, Ints, Scalar, Absent, Same {}

  /** Derived from the image: [N, shape…], optionally shifted, optionally transposed (all axes reversed). */
  record Act(long[] shape, double offset, boolean transposed) implements In {}

  /** Random constant: normal(0, std), or uniform in [0.5, 1.5] when std is 0. */
  record Weight(long[] dims, double std) implements In {}

  /** An int64 vector constant. */
  record Ints(long[] values) implements In {}

  /** A float scalar constant. */
  record Scalar(double value) implements In {}

  /** An absent optional input. */
  record Absent() implements In {}

  /** The same tensor as input {@code index} (fan-out). */
  record Same(int index) implements In {}

  static GradCase of(String name, String op, In... inputs) {
    return new GradCase(name, op, List.of(), List.of(inputs), 17, false, 1e-3);
  }

  GradCase attrs(AttributeProto... a) {
    return new GradCase(name, op, List.of(a), inputs, opset, kinked, tol);
  }

  GradCase opset(int o) {
    return new GradCase(name, op, attrs, inputs, o, kinked, tol);
  }

  GradCase piecewiseLinear() {
    return new GradCase(name, op, attrs, inputs, opset, true, tol);
  }

  GradCase tol(double t) {
    return new GradCase(name, op, attrs, inputs, opset, kinked, t);
  }

  static Act act(long... shape) {
    return new Act(shape, 0, false);
  }

  static Act shifted(double offset, long... shape) {
    return new Act(shape, offset, false);
  }

  static Act transposed(long... shape) {
    return new Act(shape, 0, true);
  }

  static Weight w(long... dims) {
    return new Weight(dims, 0.5);
  }

  static Weight positive(long... dims) {
    return new Weight(dims, 0);
  }

  static Ints ints(long... v) {
    return new Ints(v);
  }

  static Scalar scalar(double v) {
    return new Scalar(v);
  }

  static Absent absent() {
    return new Absent();
  }

  static Same same(int index) {
    return new Same(index);
  }

  List<Act> acts() {
    List<Act> r = new ArrayList<>();
    for (In i : inputs) {
      if (i instanceof Act a) {
        r.add(a);
      }
    }
    return r;
  }

  @Override
  public String toString() {
    return name;
  }
}
