package io.argus.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The four topics of a deployment and how their records are keyed.
 *
 * <p>Frames and commands share the camera id as key, so with equal partition counts both land on the
 * same partition number and a camera's whole history stays ordered. Tracks are keyed by
 * {@code cameraId/targetId} so one target's updates stay ordered while a camera's targets spread.
 */
public record Topics(String frames, String commands, String tracks, String deadLetters) {
  public static final String FRAMES = "argus.frames";
  public static final String COMMANDS = "argus.commands";
  public static final String TRACKS = "argus.tracks";
  public static final String DEAD_LETTERS = "argus.dead-letters";
  /** Between camera and target in a track key; camera ids should not contain it. */
  public static final char KEY_SEPARATOR = '/';

  public Topics {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(commands, "commands");
    Objects.requireNonNull(tracks, "tracks");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }

  public static Topics defaults() {
    return new Topics(FRAMES, COMMANDS, TRACKS, DEAD_LETTERS);
  }

  public static byte[] frameKey(String cameraId) {
    return utf8(cameraId);
  }

  public static byte[] commandKey(String cameraId) {
    return utf8(cameraId);
  }

  public static byte[] trackKey(String cameraId, String targetId) {
    return utf8(cameraId + KEY_SEPARATOR + targetId);
  }

  public static byte[] trackKey(TrackUpdate update) {
    return trackKey(update.getCameraId(), update.getTargetId());
  }

  /** The camera id when the dead letter has one (it then shares the camera's partition), else the source. */
  public static byte[] deadLetterKey(DeadLetter letter) {
    String cameraId = letter.getCameraId();
    return utf8(cameraId != null && !cameraId.isEmpty() ? cameraId : letter.getSource());
  }

  private static byte[] utf8(String s) {
    return Objects.requireNonNull(s, "key").getBytes(StandardCharsets.UTF_8);
  }
}
