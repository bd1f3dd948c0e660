package dev.robustsynth.trainer.train;

import java.util.Locale;

/**
 * A PGD attack: norm, radius, number of steps, step size and whether to start from a random point in
 * the ball.
 */
public record AttackConfig(Norm norm, float eps, int steps, float stepSize, boolean randomStart) {

    /** The perturbation norm. */
    public enum Norm {
        L2, LINF;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Norm parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "l2" -> L2;
                case "linf", "inf" -> LINF;
                default -> throw new IllegalArgumentException("unknown norm '" + s + "'; known: l2, linf");
            };
        }
    }

    public AttackConfig {
        if (eps < 0 || steps < 0 || stepSize < 0) {
            throw new IllegalArgumentException("eps, steps and stepSize must be >= 0: " + eps + ", " + steps + ", "
                    + stepSize);
        }
    }

    /** The same attack at radius {@code newEps}, the step scaled in proportion. */
    public AttackConfig withEps(float newEps) {
        return new AttackConfig(norm, newEps, steps, eps == 0 ? 0 : stepSize * newEps / eps, randomStart);
    }

    /** The robustness library's evaluation convention: step 2.5 * eps / steps. */
    public static AttackConfig evaluation(Norm norm, float eps, int steps) {
        return new AttackConfig(norm, eps, steps, 2.5f * eps / steps, false);
    }
}
