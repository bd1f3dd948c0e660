package dev.robustsynth.plugins.inpaint;

import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A requested square hole: its size, and its position when the request fixes it.
 *
 * @param size     side length
 * @param position the fixed hole, or empty for a random position
 */
record HoleSpec(int size, Optional<SquareHole> position) {

    static HoleSpec parse(Parameters hole, ModelInfo model) throws InvalidParametersException {
        if (!hole.has("size")) {
            throw new InvalidParametersException("parameter 'hole' needs 'size', the side of the square in pixels");
        }
        int size = hole.integer("size", 0);
        int limit = Math.min(model.height(), model.width());
        if (size < 1 || size >= limit) {
            throw new InvalidParametersException("parameter 'hole.size' is " + size + "; expected 1 to " + (limit - 1)
                    + " for model " + model.name() + "'s " + model.width() + "x" + model.height() + " images");
        }
        if (hole.has("x") != hole.has("y")) {
            throw new InvalidParametersException("parameter 'hole' gives only one of 'x' and 'y'; give both or neither");
        }
        if (!hole.has("x")) {
            return new HoleSpec(size, Optional.empty());
        }
        int x = hole.integer("x", 0);
        int y = hole.integer("y", 0);
        if (x < 0 || y < 0 || x + size > model.width() || y + size > model.height()) {
            throw new InvalidParametersException("parameter 'hole' puts a " + size + "x" + size + " square at (" + x
                    + ", " + y + "), outside model " + model.name() + "'s " + model.width() + "x" + model.height()
                    + " images");
        }
        return new HoleSpec(size, Optional.of(new SquareHole(x, y, size)));
    }

    /** The hole: the fixed one, or one at a random position. */
    SquareHole resolve(ModelInfo model, RandomGenerator random) {
        return position.orElseGet(() -> SquareHole.random(model.height(), model.width(), size, random));
    }
}
