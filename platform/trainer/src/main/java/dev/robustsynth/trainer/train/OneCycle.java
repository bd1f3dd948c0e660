package dev.robustsynth.trainer.train;

/**
 * PyTorch's OneCycleLR (cosine, two phases): from max/div up to max over the first {@code pctStart} of the
 * steps, then down to max/div/finalDiv.
 */
public record OneCycle(float maxLr, long totalSteps, float pctStart, float div, float finalDiv) {

    public static OneCycle of(float maxLr, long totalSteps) {
        return new OneCycle(maxLr, totalSteps, 0.25f, 25f, 1e4f);
    }

    public float lr(long step) {
        float initial = maxLr / div;
        float last = initial / finalDiv;
        double up = Math.max(1.0, pctStart * totalSteps - 1);
        double down = Math.max(1.0, totalSteps - 1 - up);
        if (step <= up) {
            return (float) cos(initial, maxLr, step / up);
        }
        return (float) cos(maxLr, last, Math.min(1.0, (step - up) / down));
    }

    private static double cos(double from, double to, double t) {
        return to + (from - to) * (1 + Math.cos(Math.PI * t)) / 2;
    }
}
