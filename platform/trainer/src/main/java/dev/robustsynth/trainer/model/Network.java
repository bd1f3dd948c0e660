package dev.robustsynth.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A DJL network built from an {@link ArchitectureSpec}. Inputs are pixels in [0,1]; the normalisation is
 * the first block. Holds the blocks by stage so {@code export} can walk them.
 */
public final class Network {

    /** Batch-norm epsilon (DJL's default, stated so the exporter folds with the same value). */
    public static final float BN_EPSILON = 1e-5f;

    private final ArchitectureSpec spec;
    private final SequentialBlock block;
    private final List<StageBlocks> stages;
    private final Linear hidden;
    private final Linear head;
    private final ParameterStore store;

    private Network(ArchitectureSpec spec, SequentialBlock block, List<StageBlocks> stages, Linear hidden, Linear head,
            ParameterStore store) {
        this.spec = spec;
        this.block = block;
        this.stages = List.copyOf(stages);
        this.hidden = hidden;
        this.head = head;
        this.store = store;
    }

    /** Builds and initialises the network's parameters in {@code manager} (seed the engine first). */
    public static Network create(ArchitectureSpec spec, NDManager manager) {
        Objects.requireNonNull(spec, "spec is null");
        SequentialBlock net = new SequentialBlock();
        float[] mean = spec.mean().clone();
        float[] std = spec.std().clone();
        int c = spec.channels();
        net.add(LambdaBlock.singleton(x -> {
            NDManager m = x.getManager();
            NDArray mu = m.create(mean, new Shape(1, c, 1, 1));
            NDArray sd = m.create(std, new Shape(1, c, 1, 1));
            return x.sub(mu).div(sd);
        }, "normalize"));
        List<StageBlocks> stages = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            ConvBn main = convBn(s.outChannels());
            net.add(unit(main));
            if (s.pool()) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            List<ConvBn> res = new ArrayList<>();
            if (s.residual()) {
                ConvBn r1 = convBn(s.outChannels());
                ConvBn r2 = convBn(s.outChannels());
                res.add(r1);
                res.add(r2);
                SequentialBlock body = new SequentialBlock().add(unit(r1)).add(unit(r2));
                net.add(new ParallelBlock(
                        list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                        List.of(body, Blocks.identityBlock())));
            }
            stages.add(new StageBlocks(s, main, res));
        }
        Linear hidden = null;
        if (spec.hidden() > 0) {
            net.add(Blocks.batchFlattenBlock());
            hidden = Linear.builder().setUnits(spec.hidden()).build();
            net.add(hidden);
            net.add(LambdaBlock.singleton(ai.djl.nn.Activation::relu, "relu"));
        } else {
            net.add(Pool.globalAvgPool2dBlock());
            net.add(Blocks.batchFlattenBlock());
        }
        Linear head = Linear.builder().setUnits(spec.numClasses()).build();
        net.add(head);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, spec.channels(), spec.height(), spec.imageWidth()));
        return new Network(spec, net, stages, hidden, head, new ParameterStore(manager, false));
    }

    private static ConvBn convBn(int out) {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(out)
                .optBias(false).build();
        BatchNorm bn = BatchNorm.builder().optEpsilon(BN_EPSILON).build();
        return new ConvBn(conv, bn);
    }

    private static SequentialBlock unit(ConvBn cb) {
        return new SequentialBlock().add(cb.conv()).add(cb.bn()).add(LambdaBlock.singleton(ai.djl.nn.Activation::relu, "relu"));
    }

    /** Logits for a batch of pixels in [0,1], shape [N,C,H,W]. */
    public NDArray forward(NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    public ArchitectureSpec spec() {
        return spec;
    }

    public List<StageBlocks> stages() {
        return stages;
    }

    /** The fully connected hidden layer of a {@code hidden > 0} spec. */
    public java.util.Optional<Linear> hidden() {
        return java.util.Optional.ofNullable(hidden);
    }

    public Linear head() {
        return head;
    }

    /** All parameters (trainable and running statistics) with stable path names. */
    public List<Pair<String, Parameter>> parameters() {
        List<Pair<String, Parameter>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p);
        }
        return out;
    }

    /** Turns gradient tracking of the trainable parameters on or off (off during attacks). */
    public void setParametersRequireGradient(boolean on) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(on);
            }
        }
    }

    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }
}
