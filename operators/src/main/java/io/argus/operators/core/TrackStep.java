package io.argus.operators.core;

import io.argus.models.image.Box;

/**
 * One target after one frame: the state to keep and what to publish.
 *
 * @param state the state to store for the next frame
 * @param box the target's box in this frame (0-based pixels)
 * @param score the tracker's raw confidence for this frame
 * @param status TRACKING, or LOST when the score was under the model's lost threshold
 */
public record TrackStep(TargetState state, Box box, float score, TrackStatus status) {}
