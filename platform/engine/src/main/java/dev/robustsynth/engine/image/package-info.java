/**
 * Image codecs for the service edge: PNG and JPEG decoding with size limits checked from the header before any
 * pixel is decoded, PNG encoding, channel conversion (grey ↔ RGB) and resizing (the project's one resizer, {@link dev.robustsynth.pgd.Resample}), all
 * as static utilities over the SPI's {@link dev.robustsynth.spi.Image}. Refusals are checked
 * {@link dev.robustsynth.engine.image.ImageDecodeException}s with a code the service maps to its error codes.
 */
package dev.robustsynth.engine.image;
