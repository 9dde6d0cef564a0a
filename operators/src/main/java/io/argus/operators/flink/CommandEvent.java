package io.argus.operators.flink;

import io.argus.models.image.Box;

/**
 * A parsed track command. Flat primitives so Flink's record serializer handles it and it can sit
 * in state while it waits for its frame.
 *
 * @param start true for START, false for STOP
 * @param raw the original Kafka bytes, kept for the dead-letter record if the command is refused
 */
public record CommandEvent(
    String cameraId,
    String targetId,
    boolean start,
    long frameSequence,
    double x,
    double y,
    double width,
    double height,
    String label,
    String model,
    String source,
    byte[] raw) {

  public Box box() {
    return new Box(x, y, width, height);
  }
}
