/**
 * Data readers (IDX, image folders, the CIFAR-10 JPEG archive) into one in-memory uint8 array per split, and
 * the Java-side augmentation that copies a batch out of it.
 */
package dev.robustsynth.trainer.data;
