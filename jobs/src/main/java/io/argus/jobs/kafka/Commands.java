package io.argus.jobs.kafka;

import io.argus.models.image.Box;
import io.argus.schemas.CommandAction;
import io.argus.schemas.TrackCommand;

/** Track commands as the CLIs send them. */
public final class Commands {

  private Commands() {}

  /** START tracking {@code box} (pixels, top-left, 0-based) as drawn on frame {@code frame}. */
  public static TrackCommand start(String camera, String target, long frame, Box box, String label) {
    return build(CommandAction.START, camera, target, frame,
        new io.argus.schemas.Box((float) box.x(), (float) box.y(), (float) box.width(), (float) box.height()), label);
  }

  public static TrackCommand stop(String camera, String target) {
    return build(CommandAction.STOP, camera, target, 0, null, null);
  }

  private static TrackCommand build(CommandAction action, String camera, String target, long frame,
      io.argus.schemas.Box box, String label) {
    return TrackCommand.newBuilder()
        .setCameraId(camera)
        .setTargetId(target)
        .setAction(action)
        .setFrameSequence(frame)
        .setBox(box)
        .setLabel(label)
        .setModel(null)
        .setIssuedAtMs(System.currentTimeMillis())
        .build();
  }
}
