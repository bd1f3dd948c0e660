package dev.robustsynth.trainer.model;

import java.util.List;

/** The DJL blocks of one stage, kept so the exporter can read their parameters in graph order. */
public record StageBlocks(StageSpec spec, ConvBn main, List<ConvBn> residual) {

    public StageBlocks {
        residual = List.copyOf(residual);
    }
}
