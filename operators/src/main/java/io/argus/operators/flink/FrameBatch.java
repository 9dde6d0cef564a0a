package io.argus.operators.flink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The frames waiting in one task for a shared model call, in arrival order, with the search crops
 * they will add to it. Never two frames of one camera: the second one's search regions follow from
 * the first one's result, so the operator sends the batch before it takes a camera's next frame.
 *
 * @param <T> what waits for one frame
 */
final class FrameBatch<T> {

  private List<T> frames = new ArrayList<>();
  private final Set<String> cameras = new HashSet<>();
  private int crops;

  boolean isEmpty() {
    return frames.isEmpty();
  }

  /** Whether a frame of this camera waits. */
  boolean holds(String cameraId) {
    return cameras.contains(cameraId);
  }

  int crops() {
    return crops;
  }

  void add(String cameraId, T frame, int frameCrops) {
    if (!cameras.add(cameraId)) {
      throw new IllegalStateException("a frame of camera '" + cameraId + "' already waits in this batch: send the "
          + "batch before taking the camera's next frame");
    }
    frames.add(frame);
    crops += frameCrops;
  }

  /** The waiting frames, in arrival order; the batch is empty afterwards. */
  List<T> drain() {
    List<T> out = frames;
    frames = new ArrayList<>();
    cameras.clear();
    crops = 0;
    return out;
  }
}
