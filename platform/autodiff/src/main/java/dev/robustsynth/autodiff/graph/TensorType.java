package dev.robustsynth.autodiff.graph;

import java.util.Objects;

/**
 * Element type (an ONNX {@code TensorProto.DataType} number) and symbolic shape of one tensor.
 *
 * @param elemType ONNX data type number, e.g. 1 for float, 7 for int64
 * @param shape shape with the batch dimension symbolic
 */
public record TensorType(int elemType, Shape shape) {
  public TensorType {
    Objects.requireNonNull(shape, "shape is null");
  }

  /** True for the floating-point types gradients flow through. */
  public boolean isFloat() {
    return Tensors.isFloat(elemType);
  }

  public int rank() {
    return shape.rank();
  }

  @Override
  public String toString() {
    return Tensors.typeName(elemType) + shape;
  }
}
