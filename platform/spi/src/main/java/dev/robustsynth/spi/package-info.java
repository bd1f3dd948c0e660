/**
 * The plugin API of RobustSynth: what a task plugin implements and what the host gives it.
 *
 * <p>A plugin jar provides one {@link dev.robustsynth.spi.RobustSynthPlugin} through {@link java.util.ServiceLoader};
 * the plugin is a bag of {@link dev.robustsynth.spi.TaskFactory task factories}. For each request the host
 * validates the envelope and the parameters against the factory's JSON Schema, then asks the factory for one
 * {@link dev.robustsynth.spi.SynthesisTask} and runs it with a {@link dev.robustsynth.spi.TaskContext}. All
 * gradient work goes through the context's {@link dev.robustsynth.spi.ModelFacade}, which batches the task's
 * steps with every other live task on the same model.
 *
 * <p>This package depends on the JDK only: no ONNX Runtime, Kafka, Quarkus or JSON library type appears in it,
 * so a plugin compiled against it runs in its own class loader that sees nothing else of the host.
 */
package dev.robustsynth.spi;
