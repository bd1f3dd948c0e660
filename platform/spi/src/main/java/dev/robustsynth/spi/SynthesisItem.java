package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One image to optimise.
 *
 * @param start      the first iterate
 * @param centre     the centre of the eps ball the iterates are projected onto (often {@code start})
 * @param objective  what the steps minimise
 * @param changeMask a one-channel mask of the pixels that may change (1 = free); empty for all
 * @param anchor     an optional pixel-space penalty
 */
public record SynthesisItem(Image start, Image centre, Objective objective, Optional<Image> changeMask,
                            Optional<PixelAnchor> anchor) {
    public SynthesisItem {
        requireNonNull(start, "start is null");
        requireNonNull(centre, "centre is null");
        requireNonNull(objective, "objective is null");
        requireNonNull(changeMask, "changeMask is null");
        requireNonNull(anchor, "anchor is null");
        if (!start.sameShape(centre)) {
            throw new IllegalArgumentException("start " + start.shape() + " and centre " + centre.shape() + " differ");
        }
        changeMask.ifPresent(m -> {
            if (m.height() != start.height() || m.width() != start.width()
                    || (m.channels() != 1 && m.channels() != start.channels())) {
                throw new IllegalArgumentException("change mask " + m.shape() + " does not fit image " + start.shape());
            }
        });
    }

    /** An item whose ball is centred on its start, with no mask and no anchor. */
    public static SynthesisItem of(Image start, Objective objective) {
        return new SynthesisItem(start, start, objective, Optional.empty(), Optional.empty());
    }
}
