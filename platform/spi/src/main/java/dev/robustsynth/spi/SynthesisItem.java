package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One image to optimise. Build it with {@link #of} and the {@code with…} methods.
 *
 * @param start             the first iterate
 * @param centre            the centre of the eps ball the iterates are projected onto (often {@code start})
 * @param objective         what the steps minimise
 * @param changeMask        a one-channel mask of the pixels that may change (1 = free, a fraction slows the pixel);
 *                          empty for all
 * @param anchor            an optional pixel-space penalty
 * @param consistency       block means every iterate keeps exactly (super-resolution)
 * @param layout            a penalty on the distance of the block means from a reference (translate, sketch)
 * @param stopAtProbability retire the item as soon as the probability of its objective's target class (the
 *                          target's largest entry) reaches this value; the item then returns its current iterate
 */
public record SynthesisItem(Image start, Image centre, Objective objective, Optional<Image> changeMask,
                            Optional<PixelAnchor> anchor, Optional<BlockMeanConstraint> consistency,
                            Optional<BlockMeanAnchor> layout, OptionalDouble stopAtProbability) {
    public SynthesisItem {
        requireNonNull(start, "start is null");
        requireNonNull(centre, "centre is null");
        requireNonNull(objective, "objective is null");
        requireNonNull(changeMask, "changeMask is null");
        requireNonNull(anchor, "anchor is null");
        requireNonNull(consistency, "consistency is null");
        requireNonNull(layout, "layout is null");
        requireNonNull(stopAtProbability, "stopAtProbability is null");
        if (!start.sameShape(centre)) {
            throw new IllegalArgumentException("start " + start.shape() + " and centre " + centre.shape() + " differ");
        }
        changeMask.ifPresent(m -> {
            if (m.height() != start.height() || m.width() != start.width()
                    || (m.channels() != 1 && m.channels() != start.channels())) {
                throw new IllegalArgumentException("change mask " + m.shape() + " does not fit image " + start.shape());
            }
        });
        consistency.ifPresent(c -> {
            if (!c.fits(start)) {
                throw new IllegalArgumentException("block-mean constraint of " + c.lowRes().shape() + " at factor "
                        + c.factor() + " does not fit image " + start.shape());
            }
        });
        layout.ifPresent(a -> {
            if (!a.fits(start)) {
                throw new IllegalArgumentException("layout anchor of " + a.lowRes().shape() + " at factor "
                        + a.factor() + " does not fit image " + start.shape());
            }
        });
        if (consistency.isPresent() && layout.isPresent() && consistency.get().factor() != layout.get().factor()) {
            throw new IllegalArgumentException("a block-mean constraint and a layout anchor need one factor");
        }
        stopAtProbability.ifPresent(p -> {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("stopAtProbability must lie in (0, 1], got " + p);
            }
            if (objective.target().isEmpty()) {
                throw new IllegalArgumentException("stopAtProbability needs an objective with a target class");
            }
        });
    }

    /** An item whose ball is centred on its start, with no mask, anchor, constraint or early stop. */
    public static SynthesisItem of(Image start, Objective objective) {
        return new SynthesisItem(start, start, objective, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalDouble.empty());
    }

    public SynthesisItem withCentre(Image newCentre) {
        return new SynthesisItem(start, newCentre, objective, changeMask, anchor, consistency, layout,
                stopAtProbability);
    }

    public SynthesisItem withChangeMask(Image mask) {
        return new SynthesisItem(start, centre, objective, Optional.of(mask), anchor, consistency, layout,
                stopAtProbability);
    }

    public SynthesisItem withAnchor(PixelAnchor newAnchor) {
        return new SynthesisItem(start, centre, objective, changeMask, Optional.of(newAnchor), consistency, layout,
                stopAtProbability);
    }

    public SynthesisItem withConsistency(BlockMeanConstraint constraint) {
        return new SynthesisItem(start, centre, objective, changeMask, anchor, Optional.of(constraint), layout,
                stopAtProbability);
    }

    public SynthesisItem withLayout(BlockMeanAnchor newLayout) {
        return new SynthesisItem(start, centre, objective, changeMask, anchor, consistency, Optional.of(newLayout),
                stopAtProbability);
    }

    public SynthesisItem withStopAtProbability(double probability) {
        return new SynthesisItem(start, centre, objective, changeMask, anchor, consistency, layout,
                OptionalDouble.of(probability));
    }

    /** The class early stop watches: the largest entry of the objective's target. */
    public int stopClass() {
        float[] t = objective.target().orElseThrow(() -> new IllegalStateException("the objective has no target"));
        int best = 0;
        for (int i = 1; i < t.length; i++) {
            if (t[i] > t[best]) {
                best = i;
            }
        }
        return best;
    }
}
