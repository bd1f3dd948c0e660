package dev.robustsynth.autodiff;

/**
 * The model cannot be compiled: an unsupported operator, a shape the compiler cannot resolve at
 * compile time, an unknown activation name, or a malformed graph. The message names the node,
 * its operator type and what was expected.
 */
public class CompileException extends Exception {
  private static final long serialVersionUID = 1L;

  public CompileException(String message) {
    super(message);
  }

  public CompileException(String message, Throwable cause) {
    super(message, cause);
  }
}
