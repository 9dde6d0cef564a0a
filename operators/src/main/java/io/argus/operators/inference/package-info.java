/**
 * Running exported models: {@link io.argus.operators.inference.SavedModelRunner} loads a model
 * directory (SavedModel + metadata) and serves it as a {@link
 * io.argus.operators.core.SiameseModel}, checking shapes on the way in and finiteness on the way
 * out ({@link io.argus.operators.inference.ModelOutputException}).
 */
package io.argus.operators.inference;
