package dev.robustsynth.autodiff.compile;

import static dev.robustsynth.autodiff.SynthesisNames.GRAD_X;
import static dev.robustsynth.autodiff.SynthesisNames.LOGITS;
import static dev.robustsynth.autodiff.SynthesisNames.LOSS;
import static dev.robustsynth.autodiff.SynthesisNames.TARGET;
import static dev.robustsynth.autodiff.SynthesisNames.W_CE;
import static dev.robustsynth.autodiff.SynthesisNames.W_LOGIT;
import static dev.robustsynth.autodiff.SynthesisNames.X;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.LayerInfo;
import dev.robustsynth.autodiff.ModelSignature;
import dev.robustsynth.autodiff.SynthesisNames;
import dev.robustsynth.autodiff.emit.EmitContext;
import dev.robustsynth.autodiff.emit.GraphBuilder;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.graph.Shape;
import dev.robustsynth.autodiff.graph.SourceGraph;
import dev.robustsynth.autodiff.graph.TensorType;
import dev.robustsynth.autodiff.ops.OpRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The compilation pipeline behind {@link dev.robustsynth.autodiff.SynthesisCompiler}. */
public final class GraphCompiler {
  private static final long IR_VERSION = 8;

  private GraphCompiler() {}

  /** Compiles the synthesis and forward graphs. */
  public static CompiledModel compile(ModelProto model, CompileOptions options, String version)
      throws CompileException {
    SourceGraph src = SourceGraph.of(model);
    List<String> outputs = new ArrayList<>(List.of(src.output()));
    outputs.addAll(options.expose());
    src = ConvBnFolding.apply(src, outputs);
    Analysis a = Analysis.run(src, outputs);
    TensorType logits = logitsType(a);
    List<LayerInfo> exposed = new ArrayList<>();
    for (String name : options.expose()) {
      exposed.add(exposable(a, name).orElseThrow(() -> new CompileException("cannot expose '" + name
          + "': it must be a float activation of shape [N, …] that depends on the input and is neither the"
          + " input nor the logits; see `layers`")));
    }
    Set<String> reserved = reserved(exposed);
    int floatType = src.inputType().elemType();

    GraphBuilder fb = builder(options, floatType, reserved);
    fb.input(X, floatType, src.inputType().shape());
    NameTable fn = names(fb, a, exposed);
    emitForward(a, new EmitContext(fb, false, fn), fn);
    outputs(fb, a, logits, exposed);

    GraphBuilder sb = builder(options, floatType, reserved);
    sb.input(X, floatType, src.inputType().shape());
    sb.input(TARGET, floatType, logits.shape());
    sb.input(W_CE, floatType, Shape.of(Shape.N));
    sb.input(W_LOGIT, floatType, logits.shape());
    for (LayerInfo l : exposed) {
      sb.input(SynthesisNames.weightOf(l.name()), floatType, a.type(l.name()).shape());
    }
    NameTable sn = names(sb, a, exposed);
    EmitContext sctx = new EmitContext(sb, true, sn);
    emitForward(a, sctx, sn);
    ReversePass pass = new ReversePass(a, sctx);
    LossBuilder.emit(sb, pass, src.output(), exposed);
    List<String> dx = pass.run();
    if (dx.isEmpty()) {
      throw new CompileException("the logits do not depend on the input '" + src.input() + "'");
    }
    sb.node(dx.size() == 1 ? "Identity" : "Sum", dx, List.of(GRAD_X), List.of());
    outputs(sb, a, logits, exposed);
    sb.output(LOSS, floatType, Shape.of(Shape.N));
    sb.output(GRAD_X, floatType, src.inputType().shape());

    Shape in = src.inputType().shape();
    ModelSignature sig = new ModelSignature((int) in.dim(1), (int) in.dim(2), (int) in.dim(3),
        (int) logits.shape().dim(1), exposed, options.opset(), version);
    return new CompiledModel(model(model, sb, "synthesis", options, version),
        model(model, fb, "forward", options, version), sig);
  }

  /** Activations of the model that {@link #compile} can expose, in graph order. */
  public static List<LayerInfo> layers(ModelProto model) throws CompileException {
    SourceGraph src = SourceGraph.of(model);
    Analysis a = Analysis.run(src, List.of(src.output()));
    logitsType(a);
    List<LayerInfo> r = new ArrayList<>();
    for (NodeView n : a.live()) {
      for (int k = 0; k < n.outputCount(); k++) {
        exposable(a, n.output(k)).ifPresent(r::add);
      }
    }
    return r;
  }

  private static java.util.Optional<LayerInfo> exposable(Analysis a, String name) {
    TensorType t = a.type(name);
    String producer = a.producer(name);
    SourceGraph src = a.source();
    if (t == null || producer == null || !a.varied(name) || name.equals(src.input()) || name.equals(src.output())
        || t.rank() < 1 || !t.shape().isBatch(0)) {
      return java.util.Optional.empty();
    }
    String op = a.live().stream().filter(n -> n.name().equals(producer)).findFirst().map(NodeView::op).orElse("");
    return java.util.Optional.of(new LayerInfo(name, op, t.shape().perExample()));
  }

  private static TensorType logitsType(Analysis a) throws CompileException {
    String out = a.source().output();
    TensorType t = a.type(out);
    if (t == null || a.producer(out) == null || !a.varied(out)) {
      throw new CompileException("the output '" + out + "' is not computed from the input");
    }
    if (!t.isFloat() || t.rank() != 2 || !t.shape().isBatch(0) || t.shape().isBatch(1)) {
      throw new CompileException("the output '" + out + "' has type " + t + "; expected float logits [N,K]");
    }
    return t;
  }

  private static Set<String> reserved(List<LayerInfo> exposed) throws CompileException {
    Set<String> r = new LinkedHashSet<>(List.of(X, TARGET, W_CE, W_LOGIT, LOGITS, LOSS, GRAD_X));
    for (LayerInfo l : exposed) {
      if (!r.add(l.name()) || !r.add(SynthesisNames.weightOf(l.name()))) {
        throw new CompileException("cannot expose '" + l.name() + "': its name or the name of its weight input "
            + SynthesisNames.weightOf(l.name()) + " clashes with the contract's names " + r);
      }
    }
    return r;
  }

  private static GraphBuilder builder(CompileOptions options, int floatType, Set<String> reserved) {
    GraphBuilder b = new GraphBuilder(options.opset(), floatType, options.target());
    reserved.forEach(b::claim);
    return b;
  }

  private static NameTable names(GraphBuilder b, Analysis a, List<LayerInfo> exposed) {
    NameTable t = new NameTable(b, a);
    t.bind(a.source().input(), X);
    t.bind(a.source().output(), LOGITS);
    exposed.forEach(l -> t.bind(l.name(), l.name()));
    return t;
  }

  private static void emitForward(Analysis a, EmitContext ctx, NameTable names) throws CompileException {
    for (NodeView n : a.live()) {
      try {
        for (int k = 0; k < n.outputCount(); k++) {
          if (!n.output(k).isEmpty()) {
            names.define(n.output(k));
          }
        }
        ctx.at(n, null);
        OpRegistry.rule(n.op()).orElseThrow().forward().emit(n, ctx);
      } catch (IllegalStateException e) {
        throw n.error(e.getMessage());
      }
    }
  }

  private static void outputs(GraphBuilder b, Analysis a, TensorType logits, List<LayerInfo> exposed) {
    b.output(LOGITS, logits.elemType(), logits.shape());
    for (LayerInfo l : exposed) {
      TensorType t = a.type(l.name());
      b.output(l.name(), t.elemType(), t.shape());
    }
  }

  private static ModelProto model(ModelProto source, GraphBuilder b, String kind, CompileOptions options,
      String version) {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(options.opset()))
        .setProducerName("rsynth-autodiff")
        .setProducerVersion(version)
        .setDocString(kind + " graph compiled by rsynth-autodiff " + version + " from a model produced by "
            + source.getProducerName() + " " + source.getProducerVersion())
        .addMetadataProps(StringStringEntryProto.newBuilder().setKey("rsynth.graph").setValue(kind))
        .addMetadataProps(StringStringEntryProto.newBuilder().setKey("rsynth.compiler").setValue(version))
        .addMetadataProps(StringStringEntryProto.newBuilder().setKey("rsynth.expose")
            .setValue(String.join(",", options.expose())))
        .addMetadataProps(StringStringEntryProto.newBuilder().setKey("rsynth.target")
            .setValue(options.target().name().toLowerCase()))
        .setGraph(b.build("rsynth_" + kind))
        .build();
  }
}
