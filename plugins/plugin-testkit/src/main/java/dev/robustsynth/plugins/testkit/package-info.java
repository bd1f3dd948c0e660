/**
 * Test-only helpers for plugin unit tests. {@link dev.robustsynth.plugins.testkit.LinearSoftmaxModel} is a real
 * (tiny) classifier whose input gradients are computed analytically and whose synthesis loop follows the engine's
 * step rules, so tasks can be tested end to end in one JVM before the ONNX engine exists. Nothing here ships in a
 * plugin jar. {@link dev.robustsynth.plugins.testkit.SchemaChecks} checks a task schema with the service's JSON Schema
 * validator.
 */
package dev.robustsynth.plugins.testkit;
