package io.argus.operators.core;

import io.argus.models.image.Box;

/**
 * Start tracking {@code box} in the frame at hand under {@code targetId}.
 *
 * @param targetId unique within the camera; must not be blank
 * @param box initial box in 0-based frame pixels; must be finite with positive area
 * @param label free text carried on every update (may be null)
 */
public record StartRequest(String targetId, Box box, String label) {

  public StartRequest {
    if (targetId == null || targetId.isBlank()) {
      throw new IllegalArgumentException("a start request needs a non-blank target id");
    }
    if (box == null || !box.isValid()) {
      throw new IllegalArgumentException("target '" + targetId + "' needs a finite box with positive width and height, got "
          + box);
    }
  }
}
