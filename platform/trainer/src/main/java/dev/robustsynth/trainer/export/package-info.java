/**
 * The model directory of docs/MODEL-FORMAT.md: the ONNX forward graph written from the trained parameters with
 * the ONNX protobuf builders (checked against DJL with ONNX Runtime), the model card, the seed statistics.
 */
package dev.robustsynth.trainer.export;
